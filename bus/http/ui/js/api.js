// Same-origin calls to the admin API only. The admin token stays in this tab (sessionStorage)
// and travels in the Authorization header; Accept-Language asks for problem titles in the
// console's language.
import { language } from './i18n.js';

export const session = { token: sessionStorage.getItem('lienthong-admin-token') || '' };

export async function api(method, path) {
  const res = await fetch(path, {
    method,
    headers: { Authorization: 'Bearer ' + session.token, 'Accept-Language': language() },
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { throw new Error(body.detail || body.title || String(res.status)); }
  return body;
}

export function $(id) { return document.getElementById(id); }

// Every value from the API goes into the page as text, never as HTML.
export function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null ? '' : String(text);
  if (cls) { td.className = cls; }
  row.appendChild(td);
  return td;
}

export function fill(tableId, rows, render) {
  const tbody = $(tableId).querySelector('tbody');
  tbody.replaceChildren();
  for (const r of rows) { tbody.appendChild(render(r)); }
}

export function q(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(v));
    }
  }
  return parts.length ? '?' + parts.join('&') : '';
}
