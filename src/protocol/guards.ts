// Checks of what a webview posts, shared by every panel's message guard (a page's message is untrusted input).

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

/** The message's fields when it is an object, else undefined. */
export function messageFields(message: unknown): (Record<string, unknown> & { type?: unknown }) | undefined {
  return typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : undefined;
}
