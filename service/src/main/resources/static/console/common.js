/* Shared by the console and the event page: calls to the API, problem answers as words, small DOM helpers. */
'use strict';

window.Couponrush = (() => {

  /** A failed call: the problem+json answer (RFC 9457) with its stable `code`, or a network failure. */
  class ApiError extends Error {
    constructor(status, problem, headers) {
      super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
      this.status = status;
      this.code = (problem && problem.code) || (status === 0 ? 'NETWORK' : 'HTTP_' + status);
      this.detail = (problem && problem.detail) || '';
      this.errors = (problem && Array.isArray(problem.errors)) ? problem.errors : [];
      this.retryAfter = headers ? Number(headers.get('Retry-After')) || null : null;
      this.problem = problem || {}; // every member, for answers that carry more than words (a place in line)
    }

    /** The server's words and its code, for people and for bug reports. */
    text() {
      return this.detail ? `${this.detail} (${this.code})` : this.code;
    }
  }

  /** Tokens live in sessionStorage: per tab, gone when it closes, never in a URL. */
  const tokens = {
    get: (kind) => sessionStorage.getItem('couponrush.' + kind + '.token'),
    set: (kind, token) => sessionStorage.setItem('couponrush.' + kind + '.token', token),
    clear: (kind) => sessionStorage.removeItem('couponrush.' + kind + '.token'),
  };

  async function api(method, path, { token, body, headers } = {}) {
    const sent = { Accept: 'application/json, application/problem+json', ...(headers || {}) };
    if (body !== undefined) {
      sent['Content-Type'] = 'application/json';
    }
    if (token) {
      sent.Authorization = 'Bearer ' + token;
    }
    let response;
    try {
      response = await fetch(path, { method, headers: sent, cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, { code: 'NETWORK', detail: 'The service could not be reached' });
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (!response.ok) {
      throw new ApiError(response.status, data || { detail: response.statusText }, response.headers);
    }
    return { status: response.status, data, headers: response.headers };
  }

  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Renewal at this share of the access token's life: early enough for a slow answer, late enough to be rare. */
  const RENEW_AT = 0.8;
  /** A renewal that failed for a reason other than an ended session (no network) is tried again after this. */
  const RENEW_RETRY_MS = 30000;
  /** How many times a refresh answered 503/429 is tried again (after its Retry-After) before giving up. */
  const BUSY_ATTEMPTS = 5;

  /** The sentence a person reads when the session cannot be renewed any more. */
  function sessionEndedText(error) {
    switch (error && error.code) {
      case 'TOKEN_REVOKED':
        return 'Your session ended because your password or role changed; please log in again.';
      case 'REFRESH_TOKEN_REUSED':
        return 'Your session ended: its renewal was used twice (another tab or device), so it was closed for safety; please log in again.';
      default:
        return 'Your session ended; please log in again.';
    }
  }

  /** Who logged in last in this browser, for the "signed in as" line (the token holds the account id only). */
  const lastAccount = {
    get() {
      try {
        return JSON.parse(localStorage.getItem('couponrush.account') || 'null');
      } catch (e) {
        return null;
      }
    },
    set: (id, email) => localStorage.setItem('couponrush.account', JSON.stringify({ id: String(id), email })),
    clear: () => localStorage.removeItem('couponrush.account'),
  };

  let refreshing = null; // this tab's one refresh in flight, shared by every caller and by both session objects

  /**
   * Renews the access token with the refresh cookie (HttpOnly: this script never sees it). A refresh
   * token works once, and two uses of the same one end the whole session, so tabs of this browser
   * take turns through a Web Lock; the one that waited then presents the cookie the other one got.
   * Inside a tab, every caller shares one request. Busy answers (503, 429) are tried again after
   * their Retry-After, holding the lock: the other tabs would hear the same.
   */
  function refreshShared() {
    if (!refreshing) {
      const once = async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            return (await api('POST', '/api/v1/auth/refresh', { body: {} })).data;
          } catch (error) {
            if ((error.status === 503 || error.status === 429) && attempt < BUSY_ATTEMPTS) {
              await pause((error.retryAfter || 1) * 1000);
              continue;
            }
            throw error;
          }
        }
      };
      const locked = window.navigator.locks
        ? navigator.locks.request('couponrush-refresh', once)
        : once();
      refreshing = locked.finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  /**
   * A page's login: the access token in this tab's sessionStorage (as before), the refresh token in an
   * HttpOnly cookie the browser sends to /api/v1/auth only. Renewed silently before it expires, on a
   * timer and when the tab comes back (timers sleep in background tabs); a call refused with 401 is
   * renewed once and sent again, with the same headers (so an issue press keeps its Idempotency-Key).
   *
   * @param kind     'user' or 'admin': the sessionStorage slot
   * @param onChange called after a login, a renewal, a logout
   * @param onEnded  called with a sentence when the session could not be renewed (401 from refresh)
   */
  function session(kind, { onChange = () => {}, onEnded = () => {} } = {}) {
    const renewKey = 'couponrush.' + kind + '.renewAt';
    let timer = null;

    const token = () => tokens.get(kind);

    function forget() {
      clearTimeout(timer);
      timer = null;
      tokens.clear(kind);
      sessionStorage.removeItem(renewKey);
    }

    /** Arms the renewal timer for the stored deadline (this browser's clock: the server's may differ). */
    function arm() {
      clearTimeout(timer);
      let due = Number(sessionStorage.getItem(renewKey));
      if (!due) {
        // a token stored without a deadline (an older page): judge by its own claims
        const c = claims(token());
        due = c.iat && c.exp ? (c.iat + RENEW_AT * (c.exp - c.iat)) * 1000 : Date.now();
        sessionStorage.setItem(renewKey, String(due));
      }
      timer = setTimeout(renewNow, Math.max(0, due - Date.now()));
    }

    function adopt(data) {
      tokens.set(kind, data.accessToken);
      sessionStorage.setItem(renewKey, String(Date.now() + RENEW_AT * data.expiresIn * 1000));
      arm();
      onChange();
      return data.accessToken;
    }

    function end(error) {
      forget();
      onChange();
      onEnded(sessionEndedText(error), error);
    }

    async function refresh() {
      return adopt(await refreshShared());
    }

    /** The timer's renewal: an ended session says so; anything else tries again later. */
    async function renewNow() {
      if (!token()) {
        return;
      }
      try {
        await refresh();
      } catch (error) {
        if (error.status === 401) {
          end(error);
        } else {
          clearTimeout(timer);
          timer = setTimeout(renewNow, RENEW_RETRY_MS);
        }
      }
    }

    function renewIfDue() {
      if (document.visibilityState === 'visible' && token()
          && Date.now() >= Number(sessionStorage.getItem(renewKey) || 0)) {
        renewNow();
      }
    }
    document.addEventListener('visibilitychange', renewIfDue);
    window.addEventListener('pageshow', renewIfDue);

    return {
      token,
      claims: () => claims(token()),

      /** The email of the account signed in, when this browser logged in to it; else its id. */
      who() {
        const sub = claims(token()).sub;
        const known = lastAccount.get();
        return known && known.id === String(sub) ? known.email : (sub ? 'account ' + sub : '');
      },

      async login(email, password) {
        const { data } = await api('POST', '/api/v1/auth/login',
          { body: { email, password, tokenDelivery: 'cookie' } });
        lastAccount.set(claims(data.accessToken).sub, email);
        return adopt(data);
      },

      refresh,

      /**
       * At page load. With a token in this tab: its timer (renewing now if it is due). Without one (a
       * new tab, the next day): one quiet refresh; true if the cookie's session was still alive.
       */
      async resume() {
        if (token()) {
          arm();
          return true;
        }
        try {
          await refresh();
          return true;
        } catch (error) {
          forget();
          return false;
        }
      },

      /** Ends this tab's session after a refusal the page met itself (a stream); onEnded says so. */
      end,

      /** Forgets this tab's token without ending the browser's session (the console refuses a non-admin). */
      forget() {
        forget();
        onChange();
      },

      /**
       * An authorized call; a 401 is renewed once and the call sent once more, the same headers again.
       * A 401 that survives that ends the session; the error then has `sessionEnded` set.
       */
      async call(method, path, options = {}) {
        const used = token();
        try {
          return await api(method, path, { ...options, token: used });
        } catch (error) {
          if (error.status !== 401) {
            throw error;
          }
        }
        let fresh = token();
        try {
          if (!fresh || fresh === used) { // another caller may have renewed it while this one was out
            fresh = await refresh();
          }
          return await api(method, path, { ...options, token: fresh });
        } catch (error) {
          if (error.status === 401) {
            end(error);
            error.sessionEnded = true;
          }
          throw error;
        }
      },

      /** Ends the session on the server (which clears the cookie), then this tab's token; null or the error. */
      async logout() {
        let failure = null;
        try {
          await api('POST', '/api/v1/auth/logout', { body: {} });
        } catch (error) {
          failure = error;
        }
        forget();
        lastAccount.clear();
        onChange();
        return failure;
      },
    };
  }

  /** The claims of a JWT, for showing who is signed in (the server checks the token, not this page). */
  function claims(token) {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part + '='.repeat((4 - part.length % 4) % 4)));
    } catch (e) {
      return {};
    }
  }

  /** An element with text content only: nothing from the server is ever parsed as HTML. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name === 'class') {
        node.className = value;
      } else if (name === 'dataset') {
        Object.assign(node.dataset, value);
      } else if (name.startsWith('on')) {
        node.addEventListener(name.slice(2), value);
      } else {
        node.setAttribute(name, value === true ? '' : value);
      }
    }
    for (const child of children.flat()) {
      if (child !== undefined && child !== null) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  /**
   * Shows a VALIDATION_FAILED answer next to the fields it names (`errors: [{field, message}]`); what
   * names no field of the form goes to the form's summary. `aliases` maps server names to form fields.
   */
  function showFieldErrors(form, error, summary, aliases = {}) {
    clearFieldErrors(form);
    const unplaced = [];
    for (const { field, message } of error.errors) {
      const name = aliases[field] || field;
      const input = form.elements.namedItem(name);
      const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      if (input && slot) {
        slot.textContent = slot.textContent ? slot.textContent + '; ' + message : message;
        input.setAttribute('aria-invalid', 'true');
      } else {
        unplaced.push(field ? `${field}: ${message}` : message);
      }
    }
    const invalid = form.querySelector('[aria-invalid="true"]');
    summary.textContent = error.errors.length
      ? `${error.detail || 'Some fields are not valid'}; see the messages next to the fields.`
        + (unplaced.length ? ' ' + unplaced.join('; ') : '')
      : error.text();
    if (invalid) {
      invalid.focus();
    }
  }

  function clearFieldErrors(form) {
    form.querySelectorAll('[data-error-for]').forEach((slot) => { slot.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
  }

  /** A v4-like random UUID, also where crypto.randomUUID is missing (plain http on a non-local address). */
  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
  const number = new Intl.NumberFormat();
  const formatNumber = (n) => (n === null || n === undefined ? '–' : number.format(n));
  const formatDay = (iso) => (iso ? day.format(new Date(iso)) : '');

  // ---- a coupon's terms in words (a coupon view and a held copy carry the same members) -------

  /** What a copy takes off: "5,000 off" or "10 % off, up to 3,000". */
  function discountText(terms) {
    return terms.discountType === 'percent'
      ? `${formatNumber(terms.discountPercent)} % off, up to ${formatNumber(terms.maxDiscount)}`
      : `${formatNumber(terms.discountAmount)} off`;
  }

  /** Which orders may use it: "on orders of 10,000 or more" or "on any order". */
  function minimumText(terms) {
    return terms.minOrderAmount > 0 ? `on orders of ${formatNumber(terms.minOrderAmount)} or more` : 'on any order';
  }

  /** How long a copy of the coupon lasts, as a sentence ("Usable for 7 days after you take it."). */
  function validityText(coupon) {
    const days = coupon.validDays ? `for ${formatNumber(coupon.validDays)} ${coupon.validDays === 1 ? 'day' : 'days'} after you take it` : '';
    if (days && coupon.validUntil) {
      return `Usable ${days}, and not after ${formatDay(coupon.validUntil)}.`;
    }
    if (days) {
      return `Usable ${days}.`;
    }
    return coupon.validUntil ? `Usable until ${formatDay(coupon.validUntil)}.` : 'No expiry.';
  }

  return { ApiError, tokens, api, session, sessionEndedText, claims, el, showFieldErrors, clearFieldErrors, uuid,
    discountText, minimumText, validityText,
    formatDateTime: (iso) => (iso ? dateTime.format(new Date(iso)) : ''),
    formatDay,
    formatTime: (iso) => (iso ? time.format(new Date(iso)) : ''),
    formatNumber };
})();
