/* The event page: sign up or log in, watch the countdown, press once, read what happened in words. */
'use strict';

(() => {
  const { api, session, el, showFieldErrors, clearFieldErrors, uuid, formatDateTime, formatNumber } = window.Couponrush;
  const $ = (id) => document.getElementById(id);

  /** What each answer means for the person who pressed the button. */
  const SENTENCES = {
    ISSUED: 'You got it! The coupon is yours: it is listed under My coupons.',
    ALREADY_ISSUED: 'You already have this coupon: it is listed under My coupons.',
    COUPON_SOLD_OUT: 'Sorry, every copy has been taken: this coupon is sold out.',
    ISSUE_NOT_OPEN: 'Not yet: this coupon can be taken once the countdown reaches zero.',
    ISSUE_CLOSED: 'Too late: the time to take this coupon is over.',
    COUPON_NOT_FOUND: 'This coupon does not exist any more.',
    LOCK_TIMEOUT: 'So many people pressed at once that your turn did not come in time. Nothing was taken; press again.',
    CONTENTION: 'Many people pressed at the same moment. Nothing was taken; press again.',
    OVERLOADED: 'The sale is very busy right now. Press again in a moment; you will never get a copy twice by pressing again.',
    RATE_LIMITED: 'You are pressing faster than allowed. Wait a few seconds, then press again.',
    IDEMPOTENCY_KEY_REUSED: 'This press was already used for another coupon. Press again.',
    UNAUTHORIZED: 'Your session has ended. Log in again, then press again.',
    TOKEN_REVOKED: 'Your session was ended (your password or role changed). Log in again, then press again.',
    REFRESH_TOKEN_INVALID: 'Your session has ended. Log in again, then press again.',
    REFRESH_TOKEN_REUSED: 'Your session was closed for safety. Log in again, then press again.',
    FORBIDDEN: 'This account may not take coupons.',
    INTERNAL_ERROR: 'Something went wrong on our side. Nothing was taken; press again.',
    NETWORK: 'The sale could not be reached. Check your connection and press again; you will never get a copy twice by pressing again.',
  };
  /** Answers after which the same press may still have taken a copy: the next press repeats its key. */
  const UNSURE = new Set(['NETWORK', 'OVERLOADED']);

  let serverOffset = 0; // service clock minus this browser's clock, from the Date header
  const coupons = new Map(); // id → coupon, as last listed
  const pressKeys = new Map(); // id → Idempotency-Key of a press whose answer is not known yet

  // ---- account -----------------------------------------------------------------------------

  let checking = true; // until the page knows whether the browser's session is still alive

  const auth = session('user', {
    onChange: () => renderSession(),
    onEnded: (sentence) => {
      $('account-status').textContent = '';
      $('login-error').textContent = sentence;
      $('my-coupons').replaceChildren();
      $('mine-empty').textContent = 'Log in to see your coupons.';
    },
  });

  function renderSession() {
    const token = auth.token();
    $('session').hidden = !token;
    // while the page asks whether the session is alive, no form flashes up for someone who is in
    $('account-forms').hidden = !!token || checking;
    $('session-who').textContent = token ? auth.who() : '';
    for (const button of document.querySelectorAll('button.issue')) {
      button.disabled = !token;
    }
    for (const note of document.querySelectorAll('.login-note')) {
      note.hidden = !!token;
    }
  }

  async function logIn(email, password) {
    await auth.login(email, password);
    $('login-error').textContent = '';
    await loadMine();
  }

  function formError(form, summary, error) {
    if (error.errors.length) {
      showFieldErrors(form, error, summary);
    } else {
      summary.textContent = error.text();
    }
  }

  $('signup-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    clearFieldErrors(form);
    $('signup-error').textContent = '';
    const email = form.elements.email.value.trim();
    const password = form.elements.password.value;
    try {
      await api('POST', '/api/v1/auth/signup', { body: { email, password, nickname: form.elements.nickname.value } });
      await logIn(email, password);
      form.reset();
      $('account-status').textContent = `Welcome! Your account ${email} is ready and you are logged in.`;
      $('sale-title').focus();
    } catch (error) {
      formError(form, $('signup-error'), error);
    }
  });

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    clearFieldErrors(form);
    $('login-error').textContent = '';
    try {
      await logIn(form.elements.email.value.trim(), form.elements.password.value);
      form.reset();
      $('account-status').textContent = 'You are logged in.';
      $('sale-title').focus();
    } catch (error) {
      formError(form, $('login-error'), error);
    }
  });

  $('logout').addEventListener('click', async () => {
    $('logout').disabled = true;
    const failure = await auth.logout();
    $('logout').disabled = false;
    $('account-status').textContent = failure
      ? `You are logged out in this tab, but the service could not end the session (${failure.text()}): a reload may sign you in again, so log out again then.`
      : 'You are logged out.';
    $('my-coupons').replaceChildren();
    $('mine-empty').textContent = 'Log in to see your coupons.';
    $('account-title').focus();
  });

  // ---- coupons -----------------------------------------------------------------------------

  async function loadCoupons() {
    try {
      const started = Date.now();
      const { data, headers } = await api('GET', '/api/v1/coupons?size=50');
      const date = Date.parse(headers.get('Date') || '');
      if (!Number.isNaN(date)) {
        serverOffset = date - (started + Date.now()) / 2; // the header has whole seconds: good enough for a countdown
      }
      $('sale-error').textContent = '';
      for (const coupon of data.items) {
        coupons.set(coupon.id, coupon);
        renderCoupon(coupon);
      }
      if (!data.items.length) {
        $('coupon-list').replaceChildren(el('li', {}, 'No coupons yet.'));
      }
      tick();
    } catch (error) {
      $('sale-error').textContent = `The coupons could not be loaded: ${error.text()}`;
    }
  }

  function renderCoupon(coupon) {
    const id = coupon.id;
    let card = document.getElementById(`coupon-${id}`);
    if (!card) {
      card = el('li', { class: 'card', id: `coupon-${id}`, dataset: { couponId: id }, 'aria-labelledby': `name-${id}` },
        el('h3', { id: `name-${id}` }, coupon.name),
        coupon.description ? el('p', {}, coupon.description) : null,
        el('p', {}, `Discount: ${formatNumber(coupon.discountAmount)}`),
        el('p', { id: `stock-${id}` }),
        el('p', { class: 'countdown', id: `countdown-${id}` }),
        el('p', { class: 'hint' }, `From ${formatDateTime(coupon.issueStartsAt)} to ${formatDateTime(coupon.issueEndsAt)}`),
        el('button', { type: 'button', class: 'issue', id: `issue-${id}`, 'aria-describedby': `result-${id}`,
          disabled: !auth.token(), onclick: () => press(id) },
          'Get this coupon', el('span', { class: 'visually-hidden' }, `: ${coupon.name}`)),
        el('p', { class: 'hint login-note', hidden: !!auth.token() }, 'Log in to take part.'),
        el('p', { class: 'result', id: `result-${id}`, role: 'status' }));
      const list = $('coupon-list');
      if (list.firstElementChild && !list.firstElementChild.id) {
        list.replaceChildren(); // the "no coupons" line
      }
      list.append(card);
    }
    $(`stock-${id}`).textContent = `${formatNumber(coupon.remaining)} of ${formatNumber(coupon.totalQuantity)} left`;
  }

  function span(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const d = Math.floor(s / 86400);
    const hms = [Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
    return d ? `${d} d ${hms}` : hms;
  }

  /** The countdowns, once a second; text only, so a screen reader is not interrupted every second. */
  function tick() {
    const now = Date.now() + serverOffset;
    for (const coupon of coupons.values()) {
      const starts = Date.parse(coupon.issueStartsAt);
      const ends = Date.parse(coupon.issueEndsAt);
      const text = now < starts ? `Opens in ${span(starts - now)}`
        : now < ends ? `Open now, closes in ${span(ends - now)}`
          : 'Closed';
      const node = document.getElementById(`countdown-${coupon.id}`);
      if (node && node.textContent !== text) {
        node.textContent = text;
      }
    }
  }

  async function press(id) {
    const button = $(`issue-${id}`);
    const result = $(`result-${id}`);
    const key = pressKeys.get(id) || uuid();
    pressKeys.set(id, key);
    button.disabled = true;
    result.className = 'result';
    result.textContent = 'Asking…';
    let code;
    let detail = '';
    try {
      // an expired token is renewed and the press sent again by auth.call, with this same key: a press
      // the service answered 401 took nothing, and one it did take is answered again, not taken twice
      const { data } = await auth.call('POST', `/api/v1/coupons/${id}/issue`, { headers: { 'Idempotency-Key': key } });
      code = 'ISSUED';
      result.dataset.userCouponId = data.userCouponId;
    } catch (error) {
      code = error.code;
      detail = error.detail;
      if (code === 'RATE_LIMITED' && error.retryAfter) {
        detail = `Wait ${error.retryAfter} s.`;
      }
    }
    if (!UNSURE.has(code)) {
      pressKeys.delete(id);
    }
    const sentence = SENTENCES[code] || `The sale answered: ${detail || code}.`;
    // the server's own words follow where they add something (e.g. whether a lost answer may have taken a copy)
    result.textContent = code === 'OVERLOADED' && detail ? `${sentence} (${detail})` : sentence;
    result.dataset.code = code;
    result.className = `result ${code === 'ISSUED' || code === 'ALREADY_ISSUED' ? 'ok' : 'bad'}`;
    button.disabled = !auth.token();
    if (code === 'ISSUED' || code === 'ALREADY_ISSUED') {
      await loadMine();
    }
    loadCoupons();
  }

  // ---- my coupons --------------------------------------------------------------------------

  async function loadMine() {
    if (!auth.token()) {
      $('mine-empty').textContent = 'Log in to see your coupons.';
      return;
    }
    try {
      const { data } = await auth.call('GET', '/api/v1/users/me/coupons');
      $('mine-error').textContent = '';
      $('mine-empty').textContent = data.length ? '' : 'You have no coupons yet.';
      $('my-coupons').replaceChildren(...data.map((held) => el('li', { dataset: { couponId: held.couponId } },
        el('strong', {}, held.couponName), ` — discount ${formatNumber(held.discountAmount)}, taken ${formatDateTime(held.issuedAt)}`)));
    } catch (error) {
      // an ended session already says so where the login form is
      $('mine-error').textContent = error.sessionEnded ? '' : `Your coupons could not be loaded: ${error.text()}`;
    }
  }

  // ---- start -------------------------------------------------------------------------------

  renderSession();
  loadCoupons();
  // a new tab, or the next day: the refresh cookie may still hold a session, so no password is needed
  auth.resume().then(() => {
    checking = false;
    renderSession();
    loadMine();
  });
  setInterval(tick, 1000);
  setInterval(loadCoupons, 10000);
})();
