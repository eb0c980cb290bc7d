/// <reference lib="dom" />
/**
 * VS Code theme colours as the page sees them: CSS variables on `<html>` (`--vscode-*`),
 * which VS Code updates on a theme change. Canvases read them when they draw.
 *
 * Read once per theme: a computed style read while the page is being built (a chart's canvas just
 * added) makes the browser recompute the styles of the whole page, once per read. What VS Code
 * changes on a theme change (the body's theme class, the variables in `<html>`'s style attribute)
 * is the key; reading those attributes costs no style computation.
 */

let themeClass: string | undefined;
let themeStyle: string | null | undefined;
let generation = 0;
const cache = new Map<string, string>();

/**
 * A number that changes when the theme does (its kind, or only its colours: one dark theme for
 * another), for drawings that keep what they built from the theme's values.
 */
export function themeGeneration(): number {
  const className = document.body.className;
  const style = document.documentElement.getAttribute('style');
  if (className !== themeClass || style !== themeStyle) {
    cache.clear();
    themeClass = className;
    themeStyle = style;
    generation++;
  }
  return generation;
}

function cached(name: string, read: () => string): string {
  themeGeneration();
  let value = cache.get(name);
  if (value === undefined) {
    value = read();
    cache.set(name, value);
  }
  return value;
}

export function themeColor(name: string, fallback: string): string {
  const value = cached(name, () => getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name}`).trim());
  return value || fallback;
}

/** The editor font, for text drawn on a canvas (canvases do not inherit CSS fonts). */
export function canvasFont(sizePx = 11): string {
  const family = cached('font-family', () => getComputedStyle(document.body).fontFamily) || 'sans-serif';
  return `${sizePx}px ${family}`;
}
