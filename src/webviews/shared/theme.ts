/// <reference lib="dom" />
/**
 * VS Code theme colours as the page sees them: CSS variables on `<html>` (`--vscode-*`),
 * which VS Code updates on a theme change. Canvases read them when they draw.
 */

export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name}`).trim();
  return value || fallback;
}

/** The editor font, for text drawn on a canvas (canvases do not inherit CSS fonts). */
export function canvasFont(sizePx = 11): string {
  const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  return `${sizePx}px ${family}`;
}
