/**
 * One colour per run, from its id alone: the same in every chart, panel and session.
 * The hue comes from a 32-bit FNV-1a hash of the id spread by the golden ratio; three
 * lightness and two saturation steps tell apart runs whose hues fall close. Saturation and lightness are picked to read on
 * both light and dark themes.
 */

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const GOLDEN = 0.618033988749895;
const LIGHTNESS = [46, 54, 62];
const SATURATION = [68, 82];

/** `hsl(h, s%, l%)` for the run. */
export function runColor(runId: string): string {
  const hash = fnv1a(runId);
  const hue = Math.round(((hash * GOLDEN) % 1) * 3600) / 10;
  const lightness = LIGHTNESS[(hash >>> 16) % LIGHTNESS.length];
  const saturation = SATURATION[(hash >>> 20) % SATURATION.length];
  return `hsl(${hue}, ${saturation}%, ${lightness}%)`;
}

/** The same colour as `#rrggbb` (for canvases and for tests that read pixels). */
export function runColorHex(runId: string): string {
  const match = /hsl\(([\d.]+), (\d+)%, (\d+)%\)/.exec(runColor(runId));
  if (!match) throw new Error('unreachable');
  const [h, s, l] = [Number(match[1]) / 360, Number(match[2]) / 100, Number(match[3]) / 100];
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h * 12) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
