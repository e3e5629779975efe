// The operators' console: wiring of the views, the language switch, the login and the refresh
// every 2 s. Plain ES modules served by the bus; no build step.
import { api, session, $ } from './api.js';
import { apply, chooseLanguage, language, load, switchTo } from './i18n.js';
import { expandRoots, initAgencies, refreshAgencies, rootCodes } from './agencies.js';
import { refreshCharts, showAgency } from './charts.js';
import { initDocuments, showJourney } from './documents.js';
import { refreshDeadLetters, refreshFailures, refreshQueues, refreshSignatures } from './operations.js';

let timer = null;

async function refresh() {
  if (!session.token) { return; }
  try {
    await Promise.all([refreshAgencies(), refreshQueues(), refreshDeadLetters(showJourney, refresh),
                       refreshFailures(showJourney), refreshSignatures(), refreshCharts()]);
    document.body.dataset.refreshed = String(Date.now());
  } catch (e) {
    $('connection').textContent = e.message;
  }
}

async function connect(token) {
  session.token = token;
  sessionStorage.setItem('lienthong-admin-token', token);
  clearInterval(timer);
  try { expandRoots(await rootCodes()); } catch (e) { $('connection').textContent = e.message; }
  await refresh();
  timer = setInterval(refresh, 2000);  // live: states, depths and charts every 2 s
}

async function start() {
  await load(chooseLanguage());
  apply();
  $('lang').value = language();
  $('lang').addEventListener('change', async () => { await switchTo($('lang').value); await refresh(); });
  initAgencies((code) => showAgency(code));
  initDocuments();
  $('login').addEventListener('submit', (ev) => { ev.preventDefault(); connect($('token').value); });
  if (session.token) { await connect(session.token); }
  document.body.dataset.ready = '1';
}

start();
