// The bus's own machinery: route queues (problems first, bounded), the dead-letter queue with
// Replay, recent failures and the signed share per agency; every code labelled with its agency.
import { api, $, cell, fill } from './api.js';
import { t, term, when } from './i18n.js';
import { agencyCell, ensureNames } from './agencies.js';

const maxQueues = 50;

function queueRank(r) { return (r.consumers === 0 ? 2e9 : 0) + r.messages; }

export async function refreshQueues() {
  const qs = await api('GET', '/v1/admin/queues');
  const routes = [...qs.routes].sort((a, b) => queueRank(b) - queueRank(a) ||
                                               a.route.localeCompare(b.route));
  const shown = routes.slice(0, maxQueues);
  await ensureNames(shown.map((r) => r.agency));
  fill('queues', shown, (r) => {
    const tr = document.createElement('tr');
    tr.dataset.route = r.route;
    if (r.messages > 0) { tr.className = 'busy'; }
    cell(tr, r.route, 'code');
    agencyCell(tr, r.agency);
    cell(tr, r.type);
    cell(tr, r.messages, 'num ready');
    cell(tr, r.consumers, 'num consumers');
    cell(tr, r.publish_rate.toFixed(2), 'num');
    cell(tr, r.deliver_rate.toFixed(2), 'num');
    cell(tr, r.published_total, 'num');
    cell(tr, r.delivered_total, 'num');
    return tr;
  });
  $('queues-shown').textContent = t('queues.shown', { shown: shown.length, total: routes.length });
  $('dead-depth').textContent = t('queues.dead_depth', { n: qs.dead_letter.messages });
  $('connection').textContent = qs.broker_connected ? t('conn.ok') : t('conn.broker_down');
  $('queues-updated').textContent = t('updated', { time: when(Date.now()) });
}

export async function replay(id, route, after) {
  try {
    const r = await api('POST', '/v1/admin/dead-letters/' + encodeURIComponent(id) +
                        '/replay?route=' + encodeURIComponent(route));
    $('replay-result').textContent = t('dead.replayed', { n: r.replayed, id });
  } catch (e) {
    $('replay-result').textContent = t('dead.replay_failed', { detail: e.message });
  }
  if (after) { await after(); }
}

export function documentLink(id, onOpen) {
  const link = document.createElement('a');
  link.href = '#';
  link.textContent = id;
  link.addEventListener('click', (ev) => { ev.preventDefault(); onOpen(id); });
  return link;
}

export async function refreshDeadLetters(onOpen, after) {
  const d = await api('GET', '/v1/admin/dead-letters?limit=200');
  await ensureNames(d.dead_letters.map((l) => l.recipient));
  fill('dead-letters', d.dead_letters, (l) => {
    const tr = document.createElement('tr');
    tr.dataset.id = l.id;
    cell(tr, '').appendChild(documentLink(l.id, onOpen));
    cell(tr, l.route, 'code');
    agencyCell(tr, l.recipient);
    cell(tr, l.attempts, 'num');
    cell(tr, l.reason);
    const button = document.createElement('button');
    button.textContent = t('dead.replay');
    button.className = 'replay';
    button.addEventListener('click', () => replay(l.id, l.route, after));
    cell(tr, '').appendChild(button);
    return tr;
  });
}

// One journey event as a row: local time, the event's name, then the given fields.
export function eventRow(e, fields) {
  const tr = document.createElement('tr');
  tr.dataset.kind = e.kind;
  cell(tr, when(e.time_ms));
  cell(tr, term('event', e.kind), 'kind').dataset.kind = e.kind;
  for (const f of fields) {
    if (f === 'agency') { agencyCell(tr, e.agency); } else { cell(tr, e[f]); }
  }
  return tr;
}

export async function refreshFailures(onOpen) {
  const f = await api('GET', '/v1/admin/failures?limit=30');
  await ensureNames(f.failures.map((e) => e.agency));
  fill('failures', f.failures, (e) => {
    const tr = eventRow(e, []);
    cell(tr, '').appendChild(documentLink(e.id, onOpen));
    cell(tr, e.route, 'code');
    agencyCell(tr, e.agency);
    cell(tr, e.code);
    cell(tr, e.detail);
    return tr;
  });
}

// The share of validly signed documents per agency, this month (the server's default window).
export async function refreshSignatures() {
  const r = await api('GET', '/v1/admin/reports/signatures');
  await ensureNames(r.agencies.map((a) => a.agency));
  const row = (code, c) => {
    const tr = document.createElement('tr');
    tr.dataset.agency = code;
    if (code === '') { cell(tr, t('signatures.total')); } else { agencyCell(tr, code); }
    cell(tr, c.documents, 'num');
    cell(tr, c.signed, 'num');
    cell(tr, c.signed_invalid, 'num');
    cell(tr, c.unsigned, 'num');
    cell(tr, c.not_pdf, 'num');
    cell(tr, (c.signed_share * 100).toFixed(2) + '%', 'num share');
    return tr;
  };
  fill('signatures', r.agencies, (a) => row(a.agency, a));
  $('signatures').querySelector('tbody').appendChild(row('', r.total));
  $('signatures-window').textContent = r.from + ' .. ' + r.to;
}
