// Agencies, not queues: the agency tree (province, departments, districts, communes) with each
// agency's state rolled up to its parents, problems first; a search by code or name (the server
// folds Vietnamese diacritics); and the names cache every other view labels codes with.
import { api, $, cell, q } from './api.js';
import { t, term } from './i18n.js';

const names = new Map();  // code -> {name, level}
const view = { query: '', offset: 0, expanded: new Set(), onSelect: null };
const page = 50;

function remember(list) {
  for (const a of list) { names.set(a.code, { name: a.name, level: a.level }); }
}

// Loads the names of `codes` not yet known (one call per 200).
export async function ensureNames(codes) {
  const missing = [...new Set(codes)].filter((c) => c && !names.has(c));
  for (let i = 0; i < missing.length; i += 200) {
    const r = await api('GET', '/v1/admin/agencies' +
                        q({ codes: missing.slice(i, i + 200).join(','), limit: 200 }));
    remember(r.agencies);
    for (const c of missing.slice(i, i + 200)) {
      if (!names.has(c)) { names.set(c, { name: '', level: 'external' }); }
    }
  }
}

// An agency as people know it: its name and level next to its code.
export function agencyLabel(code) {
  const span = document.createElement('span');
  span.className = 'agency';
  span.dataset.agency = code;
  const a = names.get(code);
  if (a && a.name) {
    const name = document.createElement('span');
    name.className = 'agency-name';
    name.textContent = a.name;
    span.append(name, ' ');
  }
  const small = document.createElement('small');
  small.className = 'muted';
  small.textContent = code + (a ? ' · ' + term('level', a.level) : '');
  span.appendChild(small);
  return span;
}

export function agencyCell(row, code) {
  const td = cell(row, '');
  if (code) {
    td.appendChild(agencyLabel(code));
    td.dataset.agency = code;
  }
  return td;
}

function stateBadge(row, state) {
  const td = cell(row, term('state', state), 'state state-' + state);
  td.dataset.state = state;
  return td;
}

function agencyRow(a, depth) {
  const tr = document.createElement('tr');
  tr.dataset.agency = a.code;
  tr.dataset.state = a.rollup;
  const nameTd = cell(tr, '');
  nameTd.style.paddingLeft = (0.5 + depth * 1.4) + 'rem';
  if (a.children > 0 && !view.query) {
    const toggle = document.createElement('button');
    toggle.className = 'toggle';
    toggle.textContent = view.expanded.has(a.code) ? '▾' : '▸';
    toggle.addEventListener('click', () => {
      if (view.expanded.has(a.code)) { view.expanded.delete(a.code); } else { view.expanded.add(a.code); }
      refreshAgencies();
    });
    nameTd.appendChild(toggle);
  }
  nameTd.append(a.name);
  cell(tr, a.code, 'code');
  cell(tr, term('level', a.level));
  stateBadge(tr, a.rollup);
  cell(tr, a.ready, 'num');
  cell(tr, a.failed, 'num');
  cell(tr, a.dead_lettered, 'num');
  const chart = document.createElement('button');
  chart.className = 'chart-agency';
  chart.textContent = t('agencies.history');
  chart.addEventListener('click', () => view.onSelect && view.onSelect(a.code));
  cell(tr, '').appendChild(chart);
  return tr;
}

async function appendLevel(tbody, parent, depth) {
  const r = await api('GET', '/v1/admin/agencies' + q({ parent, limit: page }));
  remember(r.agencies);
  let total = r.total;  // the rows this level and the open ones below could show
  for (const a of r.agencies) {
    tbody.appendChild(agencyRow(a, depth));
    if (view.expanded.has(a.code)) { total += await appendLevel(tbody, a.code, depth + 1); }
  }
  return total;
}

export async function refreshAgencies() {
  const tbody = $('agencies').querySelector('tbody');
  const rows = document.createDocumentFragment();
  const holder = document.createElement('tbody');
  let shown = 0;
  let total = 0;
  if (view.query) {
    const r = await api('GET', '/v1/admin/agencies' +
                        q({ q: view.query, offset: 0, limit: view.offset + page }));
    remember(r.agencies);
    for (const a of r.agencies) { holder.appendChild(agencyRow(a, 0)); }
    shown = r.agencies.length;
    total = r.total;
  } else {
    total = await appendLevel(holder, '', 0);
    shown = holder.children.length;
  }
  rows.append(...holder.children);
  tbody.replaceChildren(rows);
  $('agencies-more').hidden = !view.query || shown >= total;
  $('agencies-count').textContent = t('agencies.shown', { shown, total });
}

export function initAgencies(onSelect) {
  view.onSelect = onSelect;
  $('agency-search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    view.query = $('agency-q').value.trim();
    view.offset = 0;
    refreshAgencies();
  });
  $('agencies-more').addEventListener('click', () => { view.offset += page; refreshAgencies(); });
}

// The first level opens by itself (the province's own agencies), so problems show at once.
export function expandRoots(codes) { for (const c of codes) { view.expanded.add(c); } }

export async function rootCodes() {
  const r = await api('GET', '/v1/admin/agencies' + q({ parent: '', limit: page }));
  return r.agencies.map((a) => a.code);
}
