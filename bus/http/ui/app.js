// The operators' dashboard: plain JavaScript, same-origin calls to the admin API only. The admin
// token stays in this tab (sessionStorage) and travels in the Authorization header.
'use strict';

const state = { token: sessionStorage.getItem('lienthong-admin-token') || '', timer: null };

function $(id) { return document.getElementById(id); }

// Every value from the API is put into the page as text, never as HTML.
function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null ? '' : String(text);
  if (cls) { td.className = cls; }
  row.appendChild(td);
  return td;
}

async function api(method, path) {
  const res = await fetch(path, { method, headers: { Authorization: 'Bearer ' + state.token } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { throw new Error(body.detail || res.status + ' ' + res.statusText); }
  return body;
}

function fill(tbodyParent, rows, render) {
  const tbody = $(tbodyParent).querySelector('tbody');
  tbody.replaceChildren();
  for (const r of rows) { tbody.appendChild(render(r)); }
}

async function refreshQueues() {
  const q = await api('GET', '/v1/admin/queues');
  fill('queues', q.routes, (r) => {
    const tr = document.createElement('tr');
    tr.dataset.route = r.route;
    if (r.messages > 0) { tr.className = 'busy'; }
    cell(tr, r.route);
    cell(tr, r.type);
    cell(tr, r.messages, 'num ready');
    cell(tr, r.consumers, 'num');
    cell(tr, r.publish_rate.toFixed(2), 'num');
    cell(tr, r.deliver_rate.toFixed(2), 'num');
    cell(tr, r.published_total, 'num');
    cell(tr, r.delivered_total, 'num');
    return tr;
  });
  $('dead-depth').textContent = q.dead_letter.messages;
  $('connection').textContent = q.broker_connected ? 'connected' : 'broker disconnected';
  $('queues-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
}

async function replay(id, route) {
  try {
    const r = await api('POST', '/v1/admin/dead-letters/' + encodeURIComponent(id) +
                        '/replay?route=' + encodeURIComponent(route));
    $('replay-result').textContent = 'replayed ' + r.replayed + ' message(s) of ' + id;
  } catch (e) {
    $('replay-result').textContent = 'replay failed: ' + e.message;
  }
  await refresh();
}

async function refreshDeadLetters() {
  const d = await api('GET', '/v1/admin/dead-letters?limit=200');
  fill('dead-letters', d.dead_letters, (l) => {
    const tr = document.createElement('tr');
    tr.dataset.id = l.id;
    const link = document.createElement('a');
    link.href = '#';
    link.textContent = l.id;
    link.addEventListener('click', (ev) => { ev.preventDefault(); showJourney(l.id); });
    cell(tr, '').appendChild(link);
    cell(tr, l.route);
    cell(tr, l.recipient);
    cell(tr, l.attempts, 'num');
    cell(tr, l.reason);
    const button = document.createElement('button');
    button.textContent = 'Replay';
    button.className = 'replay';
    button.addEventListener('click', () => replay(l.id, l.route));
    cell(tr, '').appendChild(button);
    return tr;
  });
}

// A table row of one journey event: its local time, then the named fields.
function eventRow(e, fields) {
  const tr = document.createElement('tr');
  cell(tr, new Date(e.time_ms).toLocaleString());
  for (const f of fields) {
    cell(tr, e[f]);
  }
  return tr;
}

async function refreshFailures() {
  const f = await api('GET', '/v1/admin/failures?limit=30');
  fill('failures', f.failures,
       (e) => eventRow(e, ['kind', 'id', 'route', 'agency', 'code', 'detail']));
}

// The share of validly signed documents per agency, this month (the server's default window).
async function refreshSignatures() {
  const r = await api('GET', '/v1/admin/reports/signatures');
  const row = (name, c) => {
    const tr = document.createElement('tr');
    tr.dataset.agency = name;
    cell(tr, name);
    cell(tr, c.documents, 'num');
    cell(tr, c.signed, 'num');
    cell(tr, c.signed_invalid, 'num');
    cell(tr, c.unsigned, 'num');
    cell(tr, c.not_pdf, 'num');
    cell(tr, (c.signed_share * 100).toFixed(2) + '%', 'num share');
    return tr;
  };
  fill('signatures', r.agencies, (a) => row(a.agency, a));
  $('signatures').querySelector('tbody').appendChild(row('total', r.total));
  $('signatures-window').textContent = r.from + ' .. ' + r.to;
}

async function showJourney(id) {
  $('document-id').value = id;
  const out = $('journey');
  out.replaceChildren();
  try {
    const j = await api('GET', '/v1/admin/documents/' + encodeURIComponent(id));
    const head = document.createElement('p');
    head.append('Document ' + j.id + ' (' + j.document_id + ') from ' + j.sender + ': ');
    const s = document.createElement('span');
    s.className = 'state';
    s.id = 'journey-state';
    s.textContent = j.state;
    head.appendChild(s);
    out.appendChild(head);
    const table = document.createElement('table');
    table.innerHTML = '<thead><tr><th>time</th><th>event</th><th>route</th><th>agency</th>' +
                      '<th>code</th><th>detail</th></tr></thead><tbody></tbody>';
    for (const e of j.events) {
      table.querySelector('tbody').appendChild(
          eventRow(e, ['kind', 'route', 'agency', 'code', 'detail']));
    }
    out.appendChild(table);
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = e.message;
    out.appendChild(p);
  }
}

async function refresh() {
  if (!state.token) { return; }
  try {
    await Promise.all(
        [refreshQueues(), refreshDeadLetters(), refreshFailures(), refreshSignatures()]);
  } catch (e) {
    $('connection').textContent = e.message;
  }
}

function connect(token) {
  state.token = token;
  sessionStorage.setItem('lienthong-admin-token', token);
  clearInterval(state.timer);
  refresh();
  state.timer = setInterval(refresh, 2000);  // live: queue depths and rates every 2 s
}

$('login').addEventListener('submit', (ev) => { ev.preventDefault(); connect($('token').value); });
$('search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if ($('document-id').value) { showJourney($('document-id').value.trim()); }
});
if (state.token) { connect(state.token); }
