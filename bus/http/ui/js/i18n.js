// The console's words: one catalogue per language (i18n/vi.json, i18n/en.json), Vietnamese
// first. The language is the one the operator chose (remembered in localStorage), else the
// browser's, else Vietnamese. Every visible label comes from here: static ones through
// data-i18n / data-i18n-placeholder attributes, dynamic ones through t().
const supported = ['vi', 'en'];
let catalogue = {};
let current = 'vi';

export function chooseLanguage() {
  const saved = localStorage.getItem('lienthong-lang');
  if (supported.includes(saved)) { return saved; }
  for (const l of navigator.languages || [navigator.language || '']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (supported.includes(base)) { return base; }
  }
  return 'vi';
}

export async function load(lang) {
  const res = await fetch('i18n/' + lang + '.json');
  catalogue = await res.json();
  current = lang;
  document.documentElement.lang = lang;
}

export function language() { return current; }

// The message `key` with {name} placeholders filled; a missing key shows as ⟦key⟧ so that the
// untranslated-label test finds it.
export function t(key, params = {}) {
  const text = catalogue[key];
  if (text === undefined) { return '⟦' + key + '⟧'; }
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

// The label of a value from a closed set (state, level, event kind, status code), or the value
// itself when the catalogue has no entry (e.g. a code from a newer bus).
export function term(prefix, value) {
  const key = prefix + '.' + value;
  return key in catalogue ? catalogue[key] : String(value);
}

export function apply(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) { el.textContent = t(el.dataset.i18n); }
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
}

export async function switchTo(lang) {
  localStorage.setItem('lienthong-lang', lang);
  await load(lang);
  apply();
}

// A time as people of the console's language write it (Vietnamese: 13:05:09 1/12/2026).
export function when(ms) {
  return new Date(ms).toLocaleString(current === 'vi' ? 'vi-VN' : 'en-GB');
}
