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
  const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
  const number = new Intl.NumberFormat();

  return { ApiError, tokens, api, claims, el, showFieldErrors, clearFieldErrors, uuid,
    formatDateTime: (iso) => (iso ? dateTime.format(new Date(iso)) : ''),
    formatTime: (iso) => (iso ? time.format(new Date(iso)) : ''),
    formatNumber: (n) => (n === null || n === undefined ? '–' : number.format(n)) };
})();
