/* The event page: sign up or log in, watch the countdown, wait in line where there is one, press once, read what happened in words. */
'use strict';

(() => {
  const { api, session, el, showFieldErrors, clearFieldErrors, uuid, formatDateTime, formatDay, formatTime, formatNumber,
    discountText, minimumText, validityText } = window.Couponrush;
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
    NOT_ADMITTED: 'It is not your turn yet, so nothing was taken: your place in the line is shown above.',
    LINE_NOT_OPEN: 'The line is not open yet: join it once the countdown says it is.',
    NO_WAITING_ROOM: 'This coupon has no line: press Get this coupon once the sale opens.',
    NOT_IN_LINE: 'You are not in the line for this coupon: join it first.',
  };
  /** Sentences for joining the line, where they differ from a press's. */
  const JOIN_SENTENCES = {
    COUPON_SOLD_OUT: 'Sorry, every copy has been taken: there is nothing left to wait for.',
    ISSUE_CLOSED: 'Too late: the time to take this coupon is over, so the line is closed.',
    NETWORK: 'The line could not be reached. Check your connection and join again; joining twice keeps your first place.',
    OVERLOADED: 'The line is very busy right now. Join again in a moment; joining twice keeps your first place.',
    INTERNAL_ERROR: 'Something went wrong on our side. Join again; joining twice keeps your first place.',
  };
  /** Places in a line that no longer change: the page stops asking. */
  const FINAL = new Set(['ISSUED', 'LAPSED', 'SOLD_OUT', 'CLOSED']);
  /** How often the page asks for the place when the service does not say (no Retry-After). */
  const POLL_SECONDS = 2;
  /** While waiting, a changed position is announced to screen readers at most this often (state changes at once). */
  const ANNOUNCE_EVERY_MS = 30000;
  /** Answers after which the same press may still have taken a copy: the next press repeats its key. */
  const UNSURE = new Set(['NETWORK', 'OVERLOADED']);

  let serverOffset = 0; // service clock minus this browser's clock, from the Date header
  const coupons = new Map(); // id → coupon, as last listed
  const pressKeys = new Map(); // id → Idempotency-Key of a press whose answer is not known yet
  const places = new Map(); // id → this person's place in the coupon's line, as last answered, and its polling

  const serverNow = () => Date.now() + serverOffset;

  // ---- account -----------------------------------------------------------------------------

  let checking = true; // until the page knows whether the browser's session is still alive

  const auth = session('user', {
    onChange: () => renderSession(),
    onEnded: (sentence) => {
      forgetPlaces();
      $('account-status').textContent = '';
      $('login-error').textContent = sentence;
      clearMine();
    },
  });

  function renderSession() {
    const token = auth.token();
    $('session').hidden = !token;
    // while the page asks whether the session is alive, no form flashes up for someone who is in
    $('account-forms').hidden = !!token || checking;
    $('session-who').textContent = token ? auth.who() : '';
    for (const button of document.querySelectorAll('button.issue, button.join')) {
      button.disabled = !token;
    }
    for (const note of document.querySelectorAll('.login-note')) {
      note.hidden = !!token;
    }
    $('mine-filter').hidden = !token;
    if (!token) {
      forgetPlaces();
    }
    coupons.forEach((coupon) => renderRoom(coupon.id));
  }

  async function logIn(email, password) {
    await auth.login(email, password);
    $('login-error').textContent = '';
    checkPlaces();
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
    forgetPlaces();
    $('logout').disabled = false;
    $('account-status').textContent = failure
      ? `You are logged out in this tab, but the service could not end the session (${failure.text()}): a reload may sign you in again, so log out again then.`
      : 'You are logged out.';
    clearMine();
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
    const room = coupon.waitingRoom;
    let card = document.getElementById(`coupon-${id}`);
    if (!card) {
      card = el('li', { class: 'card', id: `coupon-${id}`, dataset: { couponId: id }, 'aria-labelledby': `name-${id}` },
        el('h3', { id: `name-${id}` }, coupon.name),
        coupon.description ? el('p', {}, coupon.description) : null,
        el('p', { id: `terms-${id}` }, `${discountText(coupon)}, ${minimumText(coupon)}.`),
        el('p', { class: 'hint', id: `validity-${id}` }, validityText(coupon)),
        el('p', { id: `stock-${id}` }),
        el('p', { class: 'countdown', id: `countdown-${id}` }),
        el('p', { class: 'hint' }, `From ${formatDateTime(coupon.issueStartsAt)} to ${formatDateTime(coupon.issueEndsAt)}`),
        room ? roomParts(coupon) : null,
        el('button', { type: 'button', class: 'issue', id: `issue-${id}`, 'aria-describedby': `result-${id}`,
          disabled: !auth.token(), hidden: !!room, onclick: () => press(id) },
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
    renderRoom(id);
  }

  // ---- the line (coupons with a waiting room) ----------------------------------------------

  /** The parts of a card that only a coupon with a waiting room has. */
  function roomParts(coupon) {
    const id = coupon.id;
    const room = coupon.waitingRoom;
    const pace = room.admitRate === 'auto'
      ? 'people are let in as copies become free'
      : `${formatNumber(room.admitPerSecond)} ${room.admitPerSecond === 1 ? 'person is' : 'people are'} let in per second`;
    const order = room.mode === 'raffle'
      ? 'a draw at the opening decides the order of everyone who joined before it; later arrivals follow in order'
      : 'first come, first served';
    return [
      el('p', { class: 'hint', id: `room-${id}` },
        `Waiting room: ${order}. From the opening, ${pace}; each turn lasts ${formatNumber(room.turnSeconds)} s.`),
      el('button', { type: 'button', class: 'join', id: `join-${id}`, 'aria-describedby': `result-${id}`, hidden: true,
        disabled: !auth.token(), onclick: () => join(id) },
        'Join the line', el('span', { class: 'visually-hidden' }, `: ${coupon.name}`)),
      // what the page knows of the person's place; redrawn every second (the wait counts down), so not a live
      // region: the announcements below say the changes that matter, once
      el('p', { class: 'place', id: `place-${id}`, tabindex: '-1' }),
      el('p', { class: 'chance', id: `chance-${id}` }),
      el('p', { class: 'hint', id: `line-${id}` }),
      room.mode === 'raffle'
        ? el('p', { id: `draw-${id}`, hidden: true },
          el('a', { href: `/api/v1/coupons/${id}/queue/draw` }, 'Check the draw'),
          el('span', { class: 'hint' }, ' (its seed, entrants and order, for anyone to recompute)'))
        : null,
      el('p', { class: 'visually-hidden', id: `place-news-${id}`, role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' }),
    ];
  }

  function placeOf(id) {
    let place = places.get(id);
    if (!place) {
      place = { data: null, known: false, inflight: 0, asked: 0, answered: 0, timer: null, failures: 0, note: '',
        receivedAt: 0, announcedState: undefined, announcedPosition: null, announcedAt: 0, nudged: new Set() };
      places.set(id, place);
    }
    return place;
  }

  /** Logged out: no place is this page's to show any more, and nothing is asked for it. */
  function forgetPlaces() {
    for (const place of places.values()) {
      clearTimeout(place.timer);
    }
    places.clear();
    for (const id of coupons.keys()) {
      const news = document.getElementById(`place-news-${id}`);
      if (news) {
        news.textContent = '';
      }
      renderRoom(id);
    }
  }

  /** After a login: where the person stands in every line that is open (renderRoom also asks, each second). */
  function checkPlaces() {
    for (const coupon of coupons.values()) {
      if (lineOpen(coupon) && !placeOf(coupon.id).known) {
        poll(coupon.id, { quiet: true });
      }
    }
  }

  function lineOpen(coupon) {
    const room = coupon.waitingRoom;
    const now = serverNow();
    return !!room && now >= Date.parse(room.lineOpensAt) && now < Date.parse(coupon.issueEndsAt);
  }

  function retryAfter(headers) {
    return Number(headers.get('Retry-After')) || null;
  }

  async function join(id) {
    const button = $(`join-${id}`);
    const result = $(`result-${id}`);
    const place = placeOf(id);
    const ticket = ++place.asked;
    const hadFocus = document.activeElement === button;
    button.disabled = true; // a browser may move the focus off a disabled button: it is put back below
    result.className = 'result';
    result.textContent = 'Joining the line…';
    try {
      // joining twice answers the first place: a join whose answer was lost is simply sent again
      const { data, headers } = await auth.call('POST', `/api/v1/coupons/${id}/queue`);
      result.textContent = '';
      delete result.dataset.code;
      if (places.get(id) === place) { // else the person logged out meanwhile
        take(id, ticket, data, retryAfter(headers));
      }
    } catch (error) {
      result.textContent = JOIN_SENTENCES[error.code] || SENTENCES[error.code] || `The line answered: ${error.detail || error.code}.`;
      result.dataset.code = error.code;
      result.className = 'result bad';
      // nothing left to wait for: the line is over for this person, said as a place
      if ((error.code === 'COUPON_SOLD_OUT' || error.code === 'ISSUE_CLOSED') && places.get(id) === place) {
        take(id, ticket, { state: error.code === 'COUPON_SOLD_OUT' ? 'SOLD_OUT' : 'CLOSED' }, null, { quiet: true });
      }
    } finally {
      button.disabled = !auth.token();
      renderRoom(id);
      const now = document.activeElement;
      if (hadFocus && (now === button || now === document.body || !now)) {
        (button.hidden ? $(`place-${id}`) : button).focus(); // the keyboard stays where the person was
      }
    }
  }

  /** Asks where the person stands; `quiet` when it only finds out what the page did not know (at load, after a login). */
  async function poll(id, { quiet = false } = {}) {
    const place = placeOf(id);
    clearTimeout(place.timer);
    if (!auth.token()) {
      return;
    }
    const ticket = ++place.asked;
    place.inflight++;
    try {
      const { data, headers } = await auth.call('GET', `/api/v1/coupons/${id}/queue/me`);
      if (places.get(id) === place) { // else the person logged out meanwhile
        take(id, ticket, data, retryAfter(headers), { quiet });
      }
    } catch (error) {
      if (ticket < place.answered || places.get(id) !== place) {
        return; // a later answer is already shown, or the person logged out meanwhile
      }
      if (error.code === 'NOT_IN_LINE') {
        take(id, ticket, null, null, { quiet });
      } else if (error.sessionEnded) {
        // the login form says so; forgetPlaces has run
      } else if (error.code === 'NO_WAITING_ROOM' || error.code === 'COUPON_NOT_FOUND') {
        place.known = true;
        place.note = SENTENCES[error.code] || error.text();
      } else {
        // no network, busy: the page keeps the last place it knew and asks again, a little later each time
        place.known = true;
        place.failures++;
        const seconds = error.retryAfter || Math.min(30, POLL_SECONDS * 2 ** (place.failures - 1));
        place.note = `Your place could not be checked just now (${error.text()}); asking again in ${seconds} s.`;
        place.timer = setTimeout(() => poll(id), seconds * 1000);
      }
      renderRoom(id);
    } finally {
      place.inflight--;
    }
  }

  /**
   * A place as answered (by a join, a look, or a refused press): shown, announced when it changed, and asked
   * again when the service says (Retry-After), until it is final. `data` null: not in the line.
   */
  function take(id, ticket, data, seconds, { quiet = false } = {}) {
    const place = placeOf(id);
    if (ticket < place.answered) {
      return; // an older question answered late
    }
    place.answered = ticket;
    place.data = data;
    place.known = true;
    place.failures = 0;
    place.note = '';
    place.receivedAt = Date.now();
    clearTimeout(place.timer);
    if (data && !FINAL.has(data.state)) {
      place.timer = setTimeout(() => poll(id), (seconds || data.retryAfterSeconds || POLL_SECONDS) * 1000);
    }
    announce(id, place, quiet);
    renderRoom(id);
  }

  /** The polite live region: a state change at once, a new position now and then, never every second. */
  function announce(id, place, quiet) {
    const data = place.data;
    const state = data ? data.state : null;
    const position = data && data.position !== undefined ? data.position : null;
    const changed = state !== place.announcedState;
    const moved = state === 'WAITING' && position !== place.announcedPosition && Date.now() - place.announcedAt >= ANNOUNCE_EVERY_MS;
    if (!changed && !moved) {
      return;
    }
    place.announcedState = state;
    place.announcedPosition = position;
    place.announcedAt = Date.now();
    const text = placeText(id, place);
    if (!quiet && state && text) {
      const coupon = coupons.get(id);
      const sentence = state === 'ADMITTED'
        ? `It is your turn: press Get this coupon before ${formatTime(data.turnEndsAt)}.`
        : text;
      $(`place-news-${id}`).textContent = `${coupon ? coupon.name + ': ' : ''}${sentence}`;
    }
  }

  /** A wait in words: seconds while short, minutes after. */
  function duration(seconds) {
    if (seconds < 100) {
      return `${seconds} s`;
    }
    const minutes = Math.round(seconds / 60);
    return minutes < 90 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  function plural(n, one, many) {
    return `${formatNumber(n)} ${n === 1 ? one : many}`;
  }

  /** The person's place, in one sentence. */
  function placeText(id, place) {
    const data = place.data;
    if (!data) {
      return '';
    }
    switch (data.state) {
      case 'WAITING': {
        if (data.position === null || data.position === undefined) {
          return `You are in the draw at ${formatTime(data.drawAt)}: your place in the line is known once it is made.`;
        }
        // the estimate counts down between answers: it is the service's, as of when it was given
        const left = Math.max(0, Math.round((data.estimatedWaitSeconds || 0) - (Date.now() - place.receivedAt) / 1000));
        const wait = left > 0 ? `${data.estimateIsAtLeast ? 'at least' : 'about'} ${duration(left)}` : 'your turn comes any moment now';
        return `You are number ${formatNumber(data.position)} in line — ${wait}`;
      }
      case 'ADMITTED':
        return `Your turn: press before ${formatTime(data.turnEndsAt)}`;
      case 'ISSUED':
        return 'You used your turn: this coupon is yours.';
      case 'LAPSED':
        return data.turnEndsAt
          ? `Your turn ended at ${formatTime(data.turnEndsAt)} before you pressed: the line has moved on.`
          : 'Your turn ended before you pressed: the line has moved on.';
      case 'SOLD_OUT':
        return 'Every copy was taken before your turn came: this coupon is sold out.';
      case 'CLOSED':
        return 'The sale is over: the time to take this coupon has ended.';
      default:
        return data.detail || data.state;
    }
  }

  function setText(id, text) {
    const node = document.getElementById(id);
    if (node && node.textContent !== text) {
      node.textContent = text;
    }
  }

  /** Which of join, place and button a room's card shows now; called on every answer and every second. */
  function renderRoom(id) {
    const coupon = coupons.get(id);
    const room = coupon && coupon.waitingRoom;
    const join = document.getElementById(`join-${id}`);
    if (!room || !join) {
      return;
    }
    const issue = $(`issue-${id}`);
    const signedIn = !!auth.token();
    const place = places.get(id);
    const data = place ? place.data : null;
    const state = data ? data.state : null;
    const open = lineOpen(coupon);
    if (signedIn && open && !place) {
      poll(id, { quiet: true }); // the line opened while the page was open, or the coupon is new here
    }
    setText(`place-${id}`, place ? placeText(id, place) : '');
    const focused = document.activeElement;
    join.hidden = !(open && !state && coupon.remaining > 0 && (!signedIn || (place && place.known)));
    issue.hidden = !(signedIn && (state === 'ADMITTED' || state === 'ISSUED'));
    if ((focused === join && join.hidden) || (focused === issue && issue.hidden)) {
      $(`place-${id}`).focus(); // the control pressed has given way to the place: the keyboard stays here
    }
    setText(`chance-${id}`, state === 'WAITING' && data.chance === 'UNLIKELY'
      ? `${plural(data.ahead, 'person is', 'people are')} ahead of you for ${plural(data.copiesLeft, 'copy', 'copies')} left: `
        + 'you get one only if enough of them let their turn pass.'
      : '');
    let line = place && place.note ? place.note : '';
    if (!line && data && (state === 'WAITING' || state === 'ADMITTED') && data.waiting !== undefined) {
      line = `${plural(data.waiting, 'person', 'people')} waiting, ${formatNumber(data.admitted)} let in so far, `
        + `${plural(data.copiesLeft, 'copy', 'copies')} left.`;
    }
    setText(`line-${id}`, line);
    const draw = document.getElementById(`draw-${id}`);
    if (draw) {
      draw.hidden = serverNow() < Date.parse(coupon.issueStartsAt);
    }
    if (place && data) {
      nudge(id, place, data);
    }
  }

  /** Asks once, without waiting for Retry-After, when this page's clock says the answer must have changed. */
  function nudge(id, place, data) {
    const now = serverNow();
    const due = data.state === 'ADMITTED' && now > Date.parse(data.turnEndsAt) + 1000 ? 'turn-ended:' + data.turnEndsAt
      : data.state === 'WAITING' && data.drawAt && now > Date.parse(data.drawAt) + 1000 ? 'drawn:' + data.drawAt
        : null;
    if (due && !place.nudged.has(due) && !place.inflight) {
      place.nudged.add(due);
      poll(id);
    }
  }

  function span(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const d = Math.floor(s / 86400);
    const hms = [Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
    return d ? `${d} d ${hms}` : hms;
  }

  /** The countdowns, once a second; text only, so a screen reader is not interrupted every second. */
  function tick() {
    const now = serverNow();
    for (const coupon of coupons.values()) {
      const starts = Date.parse(coupon.issueStartsAt);
      const ends = Date.parse(coupon.issueEndsAt);
      const room = coupon.waitingRoom;
      const lineOpens = room ? Date.parse(room.lineOpensAt) : -Infinity;
      const text = now < lineOpens ? `The line opens at ${formatTime(room.lineOpensAt)}, in ${span(lineOpens - now)}`
        : now < starts ? (room ? `The line is open; the sale opens in ${span(starts - now)}` : `Opens in ${span(starts - now)}`)
          : now < ends ? `Open now, closes in ${span(ends - now)}`
            : 'Closed';
      setText(`countdown-${coupon.id}`, text);
      renderRoom(coupon.id);
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
    let refused = null;
    try {
      // an expired token is renewed and the press sent again by auth.call, with this same key: a press
      // the service answered 401 took nothing, and one it did take is answered again, not taken twice
      const { data } = await auth.call('POST', `/api/v1/coupons/${id}/issue`, { headers: { 'Idempotency-Key': key } });
      code = 'ISSUED';
      result.dataset.userCouponId = data.userCouponId;
    } catch (error) {
      code = error.code;
      detail = error.detail;
      refused = error;
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
    const coupon = coupons.get(id);
    if (coupon && coupon.waitingRoom) {
      if (code === 'NOT_ADMITTED' && refused.problem.state) {
        // the refusal carries the place: shown at once, and asked again from there
        const place = placeOf(id);
        take(id, ++place.asked, refused.problem, refused.retryAfter);
      } else if (code === 'ISSUED' || code === 'ALREADY_ISSUED') {
        poll(id); // the turn is used: the line says so, and the page stops asking
      }
    }
    if (code === 'ISSUED' || code === 'ALREADY_ISSUED') {
      await loadMine();
    }
    loadCoupons();
  }

  // ---- my coupons --------------------------------------------------------------------------

  /** The filters: the `state` the API takes, what the list is called, and what an empty one says. */
  const FILTERS = {
    '': { shown: 'all your coupons', empty: 'You have no coupons yet.' },
    usable: { shown: 'usable coupons', empty: 'You have no usable coupons right now.' },
    used: { shown: 'used coupons', empty: 'You have not used a coupon yet.' },
    expired: { shown: 'expired coupons', empty: 'None of your coupons has expired.' },
  };
  let filter = '';
  let mineAsked = 0; // the latest load: an older answer arriving late is not shown over a newer filter

  for (const button of document.querySelectorAll('#mine-filter button')) {
    button.addEventListener('click', () => {
      filter = button.dataset.state;
      for (const other of document.querySelectorAll('#mine-filter button')) {
        other.setAttribute('aria-pressed', String(other === button));
      }
      loadMine();
    });
  }

  function clearMine() {
    mineAsked++;
    $('my-coupons').replaceChildren();
    $('mine-status').textContent = '';
    $('mine-empty').textContent = 'Log in to see your coupons.';
  }

  /** Where a copy stands, in words. */
  function stateText(held) {
    switch (held.state) {
      case 'ISSUED':
        return 'Usable';
      case 'RESERVED':
        return 'Held for an order';
      case 'USED':
        return `Used on ${formatDay(held.usedAt)}`
          + (held.discountGiven === null || held.discountGiven === undefined ? '' : `, saved ${formatNumber(held.discountGiven)}`);
      case 'EXPIRED':
        return held.expiresAt ? `Expired on ${formatDay(held.expiresAt)}` : 'Expired';
      default:
        return held.state;
    }
  }

  function heldItem(held) {
    const spendable = held.state === 'ISSUED' || held.state === 'RESERVED';
    const until = !spendable ? '' : held.expiresAt ? `usable until ${formatDay(held.expiresAt)}` : 'no expiry';
    return el('li', { class: `held ${held.state.toLowerCase()}`, id: `held-${held.userCouponId}`,
      dataset: { couponId: held.couponId, userCouponId: held.userCouponId, state: held.state } },
      el('p', {}, el('strong', {}, held.couponName), ' — ', el('span', { class: 'state', id: `held-state-${held.userCouponId}` }, stateText(held))),
      el('p', { id: `held-terms-${held.userCouponId}` }, `${discountText(held)}, ${minimumText(held)}`),
      el('p', { class: 'hint' }, `Taken ${formatDateTime(held.issuedAt)}${until ? '; ' + until : ''}.`));
  }

  async function loadMine() {
    if (!auth.token()) {
      clearMine();
      return;
    }
    const asked = ++mineAsked;
    const shown = filter;
    try {
      const { data } = await auth.call('GET', '/api/v1/users/me/coupons' + (shown ? `?state=${shown}` : ''));
      if (asked !== mineAsked) {
        return;
      }
      const words = FILTERS[shown];
      $('mine-error').textContent = '';
      $('mine-empty').textContent = data.length ? '' : words.empty;
      $('mine-status').textContent = `Showing ${words.shown}: ${data.length ? formatNumber(data.length) : 'none'}.`;
      $('my-coupons').replaceChildren(...data.map(heldItem));
    } catch (error) {
      if (asked === mineAsked) {
        // an ended session already says so where the login form is
        $('mine-error').textContent = error.sessionEnded ? '' : `Your coupons could not be loaded: ${error.text()}`;
      }
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
