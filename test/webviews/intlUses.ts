/**
 * Which entries to the locale machinery (Intl, toLocaleString, localeCompare) a page used: the first use in a page
 * loads the locale's data, 40-70 ms before anything it formats can show. Pass `INTL_USES_INIT_SCRIPT` as the
 * harness's `initScript`; `intlUses` lists what was called since, in order.
 */
import type { WebviewPage } from './harness';

export const INTL_USES_INIT_SCRIPT = `(() => {
  window.__intlUses = [];
  const note = (what) => window.__intlUses.push(what);
  for (const name of ['NumberFormat', 'DateTimeFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat', 'Segmenter']) {
    const Original = Intl[name];
    if (Original) Intl[name] = function (...args) { note('Intl.' + name); return new Original(...args); };
  }
  const wrap = (proto, method, label) => {
    const original = proto[method];
    proto[method] = function (...args) { note(label); return original.apply(this, args); };
  };
  wrap(Number.prototype, 'toLocaleString', 'Number.toLocaleString');
  wrap(String.prototype, 'localeCompare', 'String.localeCompare');
  wrap(Date.prototype, 'toLocaleString', 'Date.toLocaleString');
  wrap(Date.prototype, 'toLocaleDateString', 'Date.toLocaleDateString');
  wrap(Date.prototype, 'toLocaleTimeString', 'Date.toLocaleTimeString');
})();`;

export function intlUses(view: WebviewPage): Promise<string[]> {
  return view.page.evaluate(() => (window as unknown as { __intlUses: string[] }).__intlUses);
}
