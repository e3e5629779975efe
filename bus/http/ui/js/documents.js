// Documents: find them by DocumentId, sender, addressee, subject words and date range (paged by
// the server); a document's journey as a timeline with each recipient's status replies; Replay
// of its dead letters from there.
import { api, $, cell, fill, q } from './api.js';
import { t, term, when } from './i18n.js';
import { agencyCell, agencyLabel, ensureNames } from './agencies.js';
import { documentLink, eventRow, replay } from './operations.js';

function dayStart(value) { return value ? Date.parse(value + 'T00:00:00') : ''; }

export async function searchDocuments() {
  const to = $('doc-to').value ? dayStart($('doc-to').value) + 86400000 : '';
  const r = await api('GET', '/v1/admin/documents' + q({
    sender: $('doc-sender').value.trim(),
    addressee: $('doc-addressee').value.trim(),
    subject: $('doc-subject').value.trim(),
    from_ms: dayStart($('doc-from').value),
    to_ms: to,
    limit: 50,
  }));
  await ensureNames(r.documents.flatMap((d) => [d.sender, ...d.recipients]));
  fill('documents', r.documents, (d) => {
    const tr = document.createElement('tr');
    tr.dataset.id = d.id;
    const td = cell(tr, '');
    td.appendChild(documentLink(d.id, showJourney));
    td.append(' ', d.document_id);
    cell(tr, d.subject);
    agencyCell(tr, d.sender);
    const to = cell(tr, '');
    for (const c of d.recipients) { to.append(agencyLabel(c), document.createElement('br')); }
    cell(tr, when(d.created_ms));
    return tr;
  });
  $('documents-count').textContent = r.documents.length
      ? t('documents.results', { shown: r.documents.length, total: r.total }) : t('documents.none');
}

function recipientReplies(j) {
  const list = document.createElement('ul');
  list.id = 'recipient-replies';
  for (const e of j.events.filter((x) => x.kind === 'status')) {
    const li = document.createElement('li');
    li.dataset.agency = e.agency;
    li.append(when(e.time_ms) + ' · ');
    li.appendChild(agencyLabel(e.agency));
    li.append(' → ' + term('status', e.code));
    list.appendChild(li);
  }
  return list;
}

export async function showJourney(id) {
  $('document-id').value = id;
  const out = $('journey');
  out.replaceChildren();
  try {
    const j = await api('GET', '/v1/admin/documents/' + encodeURIComponent(id));
    await ensureNames([j.sender, ...j.events.map((e) => e.agency)]);
    const head = document.createElement('p');
    head.append(t('journey.heading', { id: j.id, document_id: j.document_id, sender: '' }));
    head.appendChild(agencyLabel(j.sender));
    head.append(' · ' + t('journey.state') + ': ');
    const s = document.createElement('span');
    s.className = 'state';
    s.id = 'journey-state';
    s.dataset.state = j.state;
    s.textContent = term('journey_state', j.state);
    head.appendChild(s);
    out.appendChild(head);
    out.appendChild(recipientReplies(j));
    const table = document.createElement('table');
    table.className = 'timeline';
    const thead = table.createTHead().insertRow();
    for (const k of ['col.time', 'col.kind', 'queues.route', 'queues.agency', 'col.code',
                     'col.detail']) {
      const th = document.createElement('th');
      th.textContent = t(k);
      thead.appendChild(th);
    }
    const body = table.createTBody();
    for (const e of j.events) {
      const tr = eventRow(e, ['route', 'agency', 'code', 'detail']);
      if (e.kind === 'dead_lettered') {
        const b = document.createElement('button');
        b.className = 'replay';
        b.textContent = t('dead.replay');
        b.addEventListener('click', () => replay(j.id, e.route, () => showJourney(j.id)));
        cell(tr, '').appendChild(b);
      }
      body.appendChild(tr);
    }
    out.appendChild(table);
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = t('error.prefix', { detail: e.message });
    out.appendChild(p);
  }
}

export function initDocuments() {
  $('search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if ($('document-id').value) { showJourney($('document-id').value.trim()); }
  });
  $('document-search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    searchDocuments().catch((e) => { $('documents-count').textContent = e.message; });
  });
}
