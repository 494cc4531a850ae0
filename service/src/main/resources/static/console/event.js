/* The event page: sign up or log in, watch the countdown, press once, read what happened in words. */
'use strict';

(() => {
  const { api, tokens, el, showFieldErrors, clearFieldErrors, uuid, formatDateTime, formatNumber } = window.Couponrush;
  const $ = (id) => document.getElementById(id);
  const KIND = 'user';

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

  function renderSession() {
    const token = tokens.get(KIND);
    $('session').hidden = !token;
    $('account-forms').hidden = !!token;
    $('session-who').textContent = sessionStorage.getItem('couponrush.user.email') || '';
    for (const button of document.querySelectorAll('button.issue')) {
      button.disabled = !token;
    }
    for (const note of document.querySelectorAll('.login-note')) {
      note.hidden = !!token;
    }
  }

  async function logIn(email, password) {
    const { data } = await api('POST', '/api/v1/auth/login', { body: { email, password } });
    tokens.set(KIND, data.accessToken);
    sessionStorage.setItem('couponrush.user.email', email);
    renderSession();
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

  $('logout').addEventListener('click', () => {
    tokens.clear(KIND);
    sessionStorage.removeItem('couponrush.user.email');
    $('account-status').textContent = 'You are logged out.';
    $('my-coupons').replaceChildren();
    $('mine-empty').textContent = 'Log in to see your coupons.';
    renderSession();
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
          disabled: !tokens.get(KIND), onclick: () => press(id) },
          'Get this coupon', el('span', { class: 'visually-hidden' }, `: ${coupon.name}`)),
        el('p', { class: 'hint login-note', hidden: !!tokens.get(KIND) }, 'Log in to take part.'),
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
      const { data } = await api('POST', `/api/v1/coupons/${id}/issue`,
        { token: tokens.get(KIND), headers: { 'Idempotency-Key': key } });
      code = 'ISSUED';
      result.dataset.userCouponId = data.userCouponId;
    } catch (error) {
      code = error.code;
      detail = error.detail;
      if (code === 'RATE_LIMITED' && error.retryAfter) {
        detail = `Wait ${error.retryAfter} s.`;
      }
      if (code === 'UNAUTHORIZED' || code === 'TOKEN_REVOKED') {
        tokens.clear(KIND);
        renderSession();
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
    button.disabled = !tokens.get(KIND);
    if (code === 'ISSUED' || code === 'ALREADY_ISSUED') {
      await loadMine();
    }
    loadCoupons();
  }

  // ---- my coupons --------------------------------------------------------------------------

  async function loadMine() {
    const token = tokens.get(KIND);
    if (!token) {
      $('mine-empty').textContent = 'Log in to see your coupons.';
      return;
    }
    try {
      const { data } = await api('GET', '/api/v1/users/me/coupons', { token });
      $('mine-error').textContent = '';
      $('mine-empty').textContent = data.length ? '' : 'You have no coupons yet.';
      $('my-coupons').replaceChildren(...data.map((held) => el('li', { dataset: { couponId: held.couponId } },
        el('strong', {}, held.couponName), ` — discount ${formatNumber(held.discountAmount)}, taken ${formatDateTime(held.issuedAt)}`)));
    } catch (error) {
      if (error.status === 401) {
        tokens.clear(KIND);
        renderSession();
      }
      $('mine-error').textContent = `Your coupons could not be loaded: ${error.text()}`;
    }
  }

  // ---- start -------------------------------------------------------------------------------

  renderSession();
  loadCoupons();
  loadMine();
  setInterval(tick, 1000);
  setInterval(loadCoupons, 10000);
})();
