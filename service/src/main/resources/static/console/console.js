/* The admin console: log in, create and list coupons, watch one live (Server-Sent Events read with fetch) with its line. */
'use strict';

(() => {
  const { api, session, el, showFieldErrors, clearFieldErrors, formatDateTime, formatDay, formatTime, formatNumber,
    discountText } = window.Couponrush;
  const $ = (id) => document.getElementById(id);

  const OUTCOMES = {
    ISSUED: { label: 'Issued', colour: '#1a7f37' },
    COUPON_SOLD_OUT: { label: 'Sold out', colour: '#6e7781' },
    ALREADY_ISSUED: { label: 'Already issued', colour: '#0b5cad' },
    ISSUE_NOT_OPEN: { label: 'Not open yet', colour: '#0f7b8a' },
    ISSUE_CLOSED: { label: 'Closed', colour: '#8a5300' },
    COUPON_NOT_FOUND: { label: 'Coupon not found', colour: '#57606a' },
    LOCK_TIMEOUT: { label: 'Lock timeout', colour: '#d4700a' },
    CONTENTION: { label: 'Contention', colour: '#8250df' },
    OVERLOADED: { label: 'Overloaded', colour: '#b3261e' },
    IDEMPOTENCY_KEY_REUSED: { label: 'Key reused', colour: '#bf3989' },
    INTERNAL_ERROR: { label: 'Internal error', colour: '#3d0c0c' },
  };
  const outcome = (code) => OUTCOMES[code] || { label: code, colour: '#24292f' };
  const POINTS = 120;
  /** The line's numbers are asked this often while a live view of a coupon with a waiting room is open. */
  const LINE_EVERY_MS = 1000;
  /**
   * The spending books are read from the audit this often: the live feed's audit carries the issuance
   * invariants only, and the books' counts scan every copy of the coupon, so not every second.
   */
  const BOOKS_EVERY_MS = 5000;

  let live = null; // { couponId, abort, charts, … } while the live view is open

  const auth = session('admin', {
    onChange: () => renderSession(),
    onEnded: (sentence) => {
      $('login-error').textContent = sentence;
      location.hash = '';
      route();
    },
  });
  const isAdmin = () => [].concat(auth.claims().roles || []).includes('ADMIN');

  // ---- views -------------------------------------------------------------------------------

  function show(view) {
    for (const id of ['login-view', 'coupons-view', 'live-view']) {
      $(id).hidden = id !== view;
    }
    const heading = $(view).querySelector('h2');
    if (heading) {
      heading.focus();
    }
  }

  function route() {
    if (!auth.token()) {
      stopLive();
      renderSession();
      show('login-view');
      return;
    }
    renderSession();
    const match = /^#live\/(\d+)$/.exec(location.hash);
    if (match) {
      openLive(match[1]);
    } else {
      stopLive();
      show('coupons-view');
      loadCoupons();
    }
  }

  function renderSession() {
    const token = auth.token();
    $('session').hidden = !token;
    if (token) {
      const c = auth.claims();
      $('session-who').textContent = auth.who() + (c.roles ? ` (${[].concat(c.roles).join(', ')})` : '');
    }
  }

  /** A 401 that a renewal could not cure has ended the session (auth said so and routed); true then. */
  function handleAuth(error) {
    return error.status === 401;
  }

  // ---- log in ------------------------------------------------------------------------------

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    clearFieldErrors(form);
    $('login-error').textContent = '';
    const email = form.elements.email.value.trim();
    try {
      await auth.login(email, form.elements.password.value);
      $('login-status').textContent = '';
      form.reset();
      route();
    } catch (error) {
      if (error.code === 'VALIDATION_FAILED') {
        showFieldErrors(form, error, $('login-error'));
      } else {
        $('login-error').textContent = error.text();
      }
    }
  });

  $('logout').addEventListener('click', async () => {
    $('logout').disabled = true;
    const failure = await auth.logout();
    $('logout').disabled = false;
    $('login-error').textContent = '';
    $('login-status').textContent = failure
      ? `You are logged out in this tab, but the service could not end the session (${failure.text()}): a reload may sign you in again, so log out again then.`
      : 'You are logged out.';
    location.hash = '';
    route();
  });

  // ---- create ------------------------------------------------------------------------------

  /** A datetime-local value (the browser's zone) for an instant. */
  function toLocalInput(date) {
    const p = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
  }

  function resetCreateDefaults() {
    const now = new Date();
    now.setMilliseconds(0);
    $('c-starts').value = toLocalInput(now);
    $('c-ends').value = toLocalInput(new Date(now.getTime() + 24 * 3600 * 1000));
    syncRoomFields();
    syncTermsFields();
  }

  /** A fixed discount has an amount; a percent one a share and a cap: only the matching fields are shown and sent. */
  function syncTermsFields() {
    const percent = $('c-discount-type').value === 'percent';
    for (const [field, input, shown] of [['c-discount-field', 'c-discount', !percent], ['c-percent-field', 'c-percent', percent],
      ['c-max-discount-field', 'c-max-discount', percent]]) {
      $(field).hidden = !shown;
      $(input).disabled = !shown;
    }
  }

  $('c-discount-type').addEventListener('change', syncTermsFields);

  /** The room's details count only with a line; the rate field only when it is not auto. */
  function syncRoomFields() {
    const none = $('c-room-mode').value === '';
    for (const id of ['c-room-opens', 'c-room-auto', 'c-room-turn']) {
      $(id).disabled = none;
    }
    $('c-room-rate').disabled = none || $('c-room-auto').checked;
  }

  $('c-room-mode').addEventListener('change', syncRoomFields);
  $('c-room-auto').addEventListener('change', () => {
    syncRoomFields();
    if (!$('c-room-auto').checked) {
      $('c-room-rate').focus();
    }
  });

  /** The waiting room as the API takes it, or nothing (no line). */
  function roomOrNothing(f) {
    const mode = f['waitingRoom.mode'].value;
    if (mode === '') {
      return undefined;
    }
    return {
      mode,
      lineOpensAt: instantOrNothing(f['waitingRoom.lineOpensAt']),
      admitPerSecond: f.admitAuto.checked ? undefined : numberOrNothing(f['waitingRoom.admitPerSecond']),
      turnSeconds: numberOrNothing(f['waitingRoom.turnSeconds']),
    };
  }

  function numberOrNothing(input) {
    return input.value === '' ? undefined : Number(input.value);
  }

  function instantOrNothing(input) {
    if (input.value === '') {
      return undefined;
    }
    const date = new Date(input.value); // a datetime-local value is read in the browser's zone
    return Number.isNaN(date.getTime()) ? input.value : date.toISOString();
  }

  $('create-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const f = form.elements;
    clearFieldErrors(form);
    $('create-error').textContent = '';
    $('create-status').textContent = '';
    const body = {
      name: f.name.value,
      description: f.description.value === '' ? undefined : f.description.value,
      discountAmount: numberOrNothing(f.discountAmount),
      totalQuantity: numberOrNothing(f.totalQuantity),
      perUserLimit: numberOrNothing(f.perUserLimit),
      issueStartsAt: instantOrNothing(f.issueStartsAt),
      issueEndsAt: instantOrNothing(f.issueEndsAt),
      strategy: f.strategy.value === '' ? undefined : f.strategy.value,
      waitingRoom: roomOrNothing(f),
      ...termsOf(f),
    };
    $('create-submit').disabled = true;
    try {
      const { data } = await auth.call('POST', '/api/v1/coupons', { body });
      $('create-status').textContent = `Created “${data.name}” (id ${data.id}, strategy ${data.strategy}`
        + (data.waitingRoom ? `, ${roomText(data.waitingRoom)}` : '') + `; ${termsText(data)}).`;
      $('create-status').dataset.couponId = data.id;
      form.reset();
      resetCreateDefaults();
      await loadCoupons();
    } catch (error) {
      if (handleAuth(error)) {
        return;
      }
      if (error.errors.length) {
        // the window's order is checked across two fields; the end is where it is fixed (the line's opening
        // against the start: the opening)
        showFieldErrors(form, error, $('create-error'),
          { windowOrdered: 'issueEndsAt', lineBeforeWindow: 'waitingRoom.lineOpensAt', discountComplete: incompleteField(f) });
      } else {
        $('create-error').textContent = error.text();
      }
    } finally {
      $('create-submit').disabled = false;
    }
  });

  /** The terms as the API takes them: only the members of the chosen kind of discount. */
  function termsOf(f) {
    const percent = f.discountType.value === 'percent';
    return {
      discountType: f.discountType.value,
      discountAmount: percent ? undefined : numberOrNothing(f.discountAmount),
      discountPercent: percent ? numberOrNothing(f.discountPercent) : undefined,
      maxDiscount: percent ? numberOrNothing(f.maxDiscount) : undefined,
      minOrderAmount: numberOrNothing(f.minOrderAmount),
      validUntil: instantOrNothing(f.validUntil),
      validDays: numberOrNothing(f.validDays),
    };
  }

  /** Where "the discount is not complete" is fixed: the first empty field of the chosen kind. */
  function incompleteField(f) {
    if (f.discountType.value !== 'percent') {
      return 'discountAmount';
    }
    return f.discountPercent.value === '' || f.maxDiscount.value !== '' ? 'discountPercent' : 'maxDiscount';
  }

  // ---- list --------------------------------------------------------------------------------

  /** A coupon's terms in a few words: "10 % off, up to 3,000 · min. 10,000 · 30 days". */
  function termsText(c) {
    const validity = [c.validDays ? `${formatNumber(c.validDays)} ${c.validDays === 1 ? 'day' : 'days'}` : '',
      c.validUntil ? `until ${formatDay(c.validUntil)}` : ''].filter(Boolean).join(', ');
    return [discountText(c), c.minOrderAmount > 0 ? `min. ${formatNumber(c.minOrderAmount)}` : 'any order',
      validity || 'no expiry'].join(' · ');
  }

  /** A waiting room in a few words: "fifo line, 2 per second, 120 s turns". */
  function roomText(room) {
    const rate = room.admitRate === 'auto' ? 'auto rate' : `${formatNumber(room.admitPerSecond)} per second`;
    return `${room.mode} line, ${rate}, ${formatNumber(room.turnSeconds)} s turns`;
  }

  async function loadCoupons() {
    $('list-error').textContent = '';
    try {
      const { data } = await api('GET', '/api/v1/coupons?size=100');
      const rows = data.items.map((c) => el('tr', { dataset: { couponId: c.id } },
        el('td', {}, c.name),
        el('td', {}, c.strategy),
        el('td', { class: 'num' }, `${formatNumber(c.remaining)} / ${formatNumber(c.totalQuantity)}`),
        el('td', { id: `terms-${c.id}` }, termsText(c)),
        el('td', {}, `${formatDateTime(c.issueStartsAt)} – ${formatDateTime(c.issueEndsAt)}`),
        el('td', { id: `room-${c.id}` }, c.waitingRoom
          ? [roomText(c.waitingRoom), el('br'), el('span', { class: 'hint' }, `opens ${formatDateTime(c.waitingRoom.lineOpensAt)}`)]
          : 'none'),
        el('td', {}, el('button', { type: 'button', class: 'secondary', id: `watch-${c.id}`,
          onclick: () => { location.hash = `#live/${c.id}`; } },
          'Watch live', el('span', { class: 'visually-hidden' }, `: ${c.name}`)))));
      $('coupon-rows').replaceChildren(...rows);
      if (!rows.length) {
        $('coupon-rows').replaceChildren(el('tr', {}, el('td', { colspan: 7 }, 'No coupons yet.')));
      }
    } catch (error) {
      $('list-error').textContent = `The list could not be loaded: ${error.text()}`;
    }
  }

  $('list-refresh').addEventListener('click', loadCoupons);

  // ---- live --------------------------------------------------------------------------------

  function stopLive() {
    if (live) {
      live.abort.abort();
      Object.values(live.charts).forEach((chart) => chart && chart.destroy());
      live = null;
    }
  }

  function makeCharts() {
    if (typeof Chart === 'undefined') {
      $('live-warnings').replaceChildren(el('li', {}, 'The charting library did not load; the numbers are shown as text.'));
      return {};
    }
    const time = { ticks: { maxTicksLimit: 8 } };
    return {
      gauge: new Chart($('gauge-chart'), {
        type: 'doughnut',
        data: { labels: ['Remaining', 'Taken'], datasets: [{ data: [0, 1], backgroundColor: ['#1a7f37', '#d0d7de'], borderWidth: 0 }] },
        options: { rotation: -90, circumference: 180, cutout: '70%', animation: false, maintainAspectRatio: false,
          plugins: { legend: { position: 'bottom' }, tooltip: { enabled: true } } },
      }),
      rate: new Chart($('rate-chart'), {
        type: 'line',
        data: { labels: [], datasets: [] },
        options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
          scales: { x: time, y: { beginAtZero: true, title: { display: true, text: 'answers / s' } } },
          elements: { point: { radius: 0 } } },
      }),
      latency: new Chart($('latency-chart'), {
        type: 'line',
        data: { labels: [], datasets: [
          { label: 'p50 (ms)', data: [], borderColor: '#0b5cad', backgroundColor: '#0b5cad' },
          { label: 'p99 (ms)', data: [], borderColor: '#b3261e', backgroundColor: '#b3261e', borderDash: [6, 3] }] },
        options: { animation: false, maintainAspectRatio: false, spanGaps: true,
          scales: { x: time, y: { beginAtZero: true, title: { display: true, text: 'ms' } } },
          elements: { point: { radius: 0 } } },
      }),
    };
  }

  async function openLive(couponId) {
    if (live && live.couponId === couponId) {
      return;
    }
    stopLive();
    show('live-view');
    for (const id of ['live-remaining', 'live-total', 'live-p50', 'live-p99', 'live-samples', 'latency-window']) {
      $(id).textContent = '–';
    }
    $('live-name').textContent = `coupon ${couponId}`;
    $('live-error').textContent = '';
    $('live-warnings').replaceChildren();
    $('outcome-rows').replaceChildren();
    $('gate-line').textContent = '';
    $('batch-line').textContent = '';
    $('line-card').hidden = true;
    setBadge('unknown', 'Audit: waiting for the first audit', '');
    live = { couponId, abort: new AbortController(), charts: makeCharts(), lastSequence: 0 };
    const watching = live;
    watchBooks(watching);
    api('GET', `/api/v1/coupons/${couponId}`).then(({ data }) => {
      if (live === watching) {
        $('live-name').textContent = data.name;
        if (data.waitingRoom) {
          watchLine(watching, data.waitingRoom);
        }
      }
    }, () => {});
    stream(live);
  }

  /**
   * The line's numbers beside the live sale, asked every second while this view is open. They live in Redis,
   * so every instance answers the same: the whole line, unlike the outcome counts (this instance's).
   */
  async function watchLine(session, room) {
    const signal = session.abort.signal;
    for (const id of ['line-waiting', 'line-admitted', 'line-in-turn', 'line-issued', 'line-lapsed', 'line-rate', 'line-copies']) {
      $(id).textContent = '–';
    }
    $('line-terms').textContent = `${roomText(room)}; the line opens ${formatDateTime(room.lineOpensAt)}.`;
    $('line-status').textContent = '';
    $('line-card').hidden = false;
    let delay = LINE_EVERY_MS;
    while (!signal.aborted) {
      try {
        const { data } = await api('GET', `/api/v1/coupons/${session.couponId}/queue`);
        if (signal.aborted) {
          return;
        }
        renderLine(data);
        $('line-status').textContent = `Read every second from the line itself; the sale opens ${formatDateTime(data.opensAt)}.`;
        delay = LINE_EVERY_MS;
      } catch (error) {
        if (signal.aborted) {
          return;
        }
        if (error.code === 'NO_WAITING_ROOM' || error.code === 'COUPON_NOT_FOUND') {
          $('line-status').textContent = `The line is gone: ${error.text()}`;
          return;
        }
        delay = Math.min(delay * 2, 10000);
        $('line-status').textContent = `The line could not be read (${error.text()}); trying again in ${Math.round(delay / 1000)} s.`;
      }
      await wait(delay, signal);
    }
  }

  function renderLine(line) {
    $('line-waiting').textContent = formatNumber(line.waiting);
    $('line-admitted').textContent = formatNumber(line.admitted);
    $('line-in-turn').textContent = formatNumber(line.inTurn);
    $('line-issued').textContent = formatNumber(line.issued);
    $('line-lapsed').textContent = formatNumber(line.lapsed);
    $('line-rate').textContent = line.admitRate === 'auto'
      ? `auto (at most ${formatNumber(line.admitPerSecond)} / s)`
      : `${formatNumber(line.admitPerSecond)} / s`;
    $('line-copies').textContent = formatNumber(line.copiesLeft);
  }

  /**
   * The spending books (where every issued copy stands), read from the coupon's audit every few seconds while
   * this view is open. They are the database's, so the same on every instance.
   */
  async function watchBooks(session) {
    const signal = session.abort.signal;
    for (const id of ['books-issued', 'books-usable', 'books-reserved', 'books-used', 'books-expired', 'books-restored']) {
      $(id).textContent = '–';
    }
    setBooksBadge('unknown', 'Waiting for the first count');
    $('books-status').textContent = '';
    let delay = BOOKS_EVERY_MS;
    while (!signal.aborted) {
      try {
        const { data } = await auth.call('GET', `/api/v1/admin/coupons/${session.couponId}/audit`);
        if (signal.aborted) {
          return;
        }
        renderBooks(data);
        delay = BOOKS_EVERY_MS;
      } catch (error) {
        if (signal.aborted || error.sessionEnded) {
          return;
        }
        if (error.status === 403 || error.status === 404) {
          $('books-status').textContent = `The books cannot be read: ${error.text()}`;
          return;
        }
        delay = Math.min(delay * 2, 30000);
        $('books-status').textContent = `The books could not be read (${error.text()}); trying again in ${Math.round(delay / 1000)} s.`;
      }
      await wait(delay, signal);
    }
  }

  function setBooksBadge(kind, text) {
    const badge = $('books-badge');
    badge.className = `badge ${kind}`;
    badge.textContent = text;
  }

  function renderBooks(audit) {
    const books = audit.books;
    if (!books) {
      setBooksBadge('unknown', 'This service does not count the spending books');
      return;
    }
    $('books-issued').textContent = formatNumber(audit.issuedRows);
    for (const state of ['usable', 'reserved', 'used', 'expired', 'restored']) {
      $(`books-${state}`).textContent = formatNumber(books[state]);
    }
    const states = books.usable + books.reserved + books.used + books.expired;
    const problems = [];
    if (books.usedTwice > 0) {
      problems.push(`${formatNumber(books.usedTwice)} ${books.usedTwice === 1 ? 'copy was' : 'copies were'} used twice`);
    }
    if (!books.balanced && states !== audit.issuedRows) {
      problems.push(`usable + reserved + used + expired = ${formatNumber(states)}, not the ${formatNumber(audit.issuedRows)} issued`);
    }
    if (!books.balanced && !problems.length) {
      problems.push('the books do not balance');
    }
    setBooksBadge(problems.length ? 'bad' : 'ok',
      problems.length ? `⚠ ${problems.join('; ')}` : '✓ No copy used twice; every issued copy is in one state');
    $('books-status').textContent = `Counted at ${formatTime(new Date().toISOString())}, every ${BOOKS_EVERY_MS / 1000} s.`;
  }

  $('live-back').addEventListener('click', () => { location.hash = ''; });

  const wait = (ms, signal) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

  /**
   * EventSource cannot send the bearer token, and the token must not go into a URL: the stream is
   * read with fetch(), which can, and parsed here (frames separated by a blank line). The token is
   * checked when the stream opens: an expired one is renewed and the stream opened again.
   */
  async function stream(session) {
    const signal = session.abort.signal;
    let delay = 1000;
    let renewed = false; // one renewal per refusal: a second 401 in a row means the session is over
    while (!signal.aborted) {
      try {
        const response = await fetch(`/api/v1/admin/coupons/${session.couponId}/live`, {
          headers: { Authorization: 'Bearer ' + auth.token(), Accept: 'text/event-stream' },
          cache: 'no-store', signal });
        if (!response.ok) {
          let problem = null;
          try {
            problem = await response.json();
          } catch (e) {
            problem = null;
          }
          const error = new window.Couponrush.ApiError(response.status, problem, response.headers);
          if (error.status === 401) {
            if (renewed) {
              auth.end(error);
              return;
            }
            const outcome = await renewForStream();
            if (outcome === 'ended') {
              return;
            }
            if (outcome === 'renewed') {
              renewed = true;
              continue;
            }
            // not reached (no network, busy): tried again below, like any other failure
          }
          if (response.status === 403 || response.status === 404) {
            $('live-error').textContent = error.text();
            $('live-status').textContent = 'Not watching.';
            return;
          }
          const seconds = error.retryAfter || delay / 1000;
          $('live-error').textContent = `${error.text()}. Trying again in ${seconds} s.`;
          await wait(seconds * 1000, signal);
          delay = Math.min(delay * 2, 10000);
          continue;
        }
        $('live-status').textContent = 'Connected: one update per second.';
        $('live-error').textContent = '';
        delay = 1000;
        renewed = false;
        await readEvents(response.body, signal, (data) => {
          if (live === session) {
            render(session, JSON.parse(data));
          }
        });
        if (!signal.aborted) {
          $('live-status').textContent = 'The stream ended; reconnecting…';
        }
      } catch (e) {
        if (signal.aborted) {
          return;
        }
        $('live-status').textContent = 'Connection lost; reconnecting…';
      }
      await wait(delay, signal);
      delay = Math.min(delay * 2, 10000);
    }
  }

  /** 'renewed', 'ended' (auth has said so and routed to the login) or 'failed' (try again later). */
  async function renewForStream() {
    try {
      await auth.refresh();
      return 'renewed';
    } catch (error) {
      if (error.status === 401) {
        auth.end(error);
        return 'ended';
      }
      return 'failed';
    }
  }

  async function readEvents(body, signal, onData) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      while (!signal.aborted) {
        const { value, done } = await reader.read();
        if (done) {
          return;
        }
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).replace(/^ /, '')).join('\n');
          if (data) {
            onData(data);
          }
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  function setBadge(kind, text, detail) {
    const badge = $('audit-badge');
    badge.className = `badge ${kind}`;
    badge.textContent = text;
    $('audit-detail').textContent = detail;
  }

  function render(session, sample) {
    if (sample.sequence === session.lastSequence) {
      return; // the latest sample again, replayed to a reconnecting watcher
    }
    session.lastSequence = sample.sequence;
    // the fleet's answers (every instance, summed by the service) where the feed has them, else this instance's
    const fleet = sample.fleet;
    const event = fleet ? { ...sample, perSecond: fleet.perSecond, totals: fleet.totals, latency: fleet.latency } : sample;
    $('live-scope').textContent = fleet
      ? `every instance's (${fleet.instances} ${fleet.instances === 1 ? 'instance' : 'instances'})`
      : "this instance's";
    $('live-strategy').textContent = event.strategy;
    $('live-since').textContent = formatTime(event.countingSince);
    $('live-remaining').textContent = event.remaining === undefined || event.remaining === null ? '–' : String(event.remaining);
    $('live-total').textContent = String(event.total);
    $('live-warnings').replaceChildren(...(event.warnings || []).map((w) => el('li', {}, w)));

    const lat = event.latency || {};
    $('latency-window').textContent = lat.windowSeconds ?? '–';
    $('live-p50').textContent = lat.p50Millis === undefined ? '–' : `${lat.p50Millis} ms`;
    $('live-p99').textContent = lat.p99Millis === undefined ? '–' : `${lat.p99Millis} ms`;
    $('live-samples').textContent = String(lat.samples ?? 0);

    if (event.audit) {
      const a = event.audit;
      const when = `audited at ${formatTime(a.at)}: ${formatNumber(a.issuedRows)} rows issued, ${formatNumber(a.remaining)} left`;
      if (a.consistent) {
        setBadge('ok', '✓ Consistent: the books balance', when);
      } else {
        setBadge('bad', '✗ NOT consistent: remaining + issued ≠ total, or a user over the limit', when);
      }
    }
    if (event.gate) {
      const g = event.gate;
      const sync = g.inSync === undefined ? 'not audited yet' : (g.inSync ? 'yes' : 'NO');
      $('gate-line').textContent = `Redis gate: stock ${g.stock ?? 'not loaded'}, pending ${g.pending ?? '–'}, in sync with the database: ${sync}.`;
    }
    if (event.batch) {
      const b = event.batch;
      $('batch-line').textContent = `Group-commit batches (all coupons of this instance): ${b.batchesPerSecond} per second`
        + (b.meanSize !== undefined ? `, ${b.meanSize} requests each on average.` : '.');
    }
    renderOutcomes(event);
    renderCharts(session, event);
  }

  function renderOutcomes(event) {
    const body = $('outcome-rows');
    for (const [code, total] of Object.entries(event.totals || {})) {
      let row = document.getElementById(`row-${code}`);
      if (!row) {
        row = el('tr', { id: `row-${code}` },
          el('th', { scope: 'row' }, `${outcome(code).label} `, el('span', { class: 'hint' }, code)),
          el('td', { class: 'num', id: `rate-${code}` }),
          el('td', { class: 'num', id: `total-${code}` }));
        body.append(row);
      }
      document.getElementById(`rate-${code}`).textContent = String(event.perSecond[code] ?? 0);
      document.getElementById(`total-${code}`).textContent = String(total);
    }
  }

  function renderCharts(session, event) {
    const { gauge, rate, latency } = session.charts;
    const label = formatTime(event.at);
    if (gauge && event.remaining !== undefined && event.remaining !== null) {
      gauge.data.datasets[0].data = [event.remaining, Math.max(0, event.total - event.remaining)];
      gauge.update('none');
    }
    if (rate) {
      rate.data.labels.push(label);
      for (const code of Object.keys(event.perSecond || {})) {
        if (!rate.data.datasets.some((d) => d.code === code)) {
          const o = outcome(code);
          rate.data.datasets.push({ code, label: o.label, borderColor: o.colour, backgroundColor: o.colour,
            data: new Array(rate.data.labels.length - 1).fill(0) });
        }
      }
      for (const dataset of rate.data.datasets) {
        dataset.data.push(event.perSecond[dataset.code] ?? 0);
        if (dataset.data.length > POINTS) {
          dataset.data.shift();
        }
      }
      if (rate.data.labels.length > POINTS) {
        rate.data.labels.shift();
      }
      rate.update('none');
    }
    if (latency) {
      const lat = event.latency || {};
      latency.data.labels.push(label);
      latency.data.datasets[0].data.push(lat.p50Millis ?? null);
      latency.data.datasets[1].data.push(lat.p99Millis ?? null);
      if (latency.data.labels.length > POINTS) {
        latency.data.labels.shift();
        latency.data.datasets.forEach((d) => d.data.shift());
      }
      latency.update('none');
    }
  }

  // ---- start -------------------------------------------------------------------------------

  $('c-zone').textContent = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local';
  resetCreateDefaults();
  window.addEventListener('hashchange', route);
  // a new tab, or the next day: the refresh cookie may still hold a session, so no password is needed
  auth.resume().then((signedIn) => {
    if (signedIn && !isAdmin()) {
      // the browser's session is a user's (logged in on the event page): this tab does not use it
      auth.forget();
      $('login-status').textContent = 'This browser is signed in with an account that is not an admin; log in with an admin account.';
    }
    route();
  });
})();
