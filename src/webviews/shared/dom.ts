/// <reference lib="dom" />
/**
 * Building DOM without HTML strings: every text (run names, metric keys, param values come
 * from stores, and anyone can name a run `<img onerror=…>`) goes through `textContent`.
 */

type Attributes = Record<string, string | number | boolean | undefined>;

export interface ElementSpec {
  className?: string;
  text?: string;
  /** Set with `setAttribute`; never `style` (the CSP forbids inline style attributes) nor `on*`. */
  attrs?: Attributes;
  children?: readonly (Node | undefined | false)[];
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, spec: ElementSpec = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (spec.className) node.className = spec.className;
  if (spec.text !== undefined) node.textContent = spec.text;
  for (const [name, value] of Object.entries(spec.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    if (name === 'style' || /^on/i.test(name)) throw new Error(`el(): attribute ${name} is not allowed`);
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of spec.children ?? []) if (child) node.append(child);
  return node;
}
