// A YAML node tree flattened to plain data (class, range, tag, anchor, flow, scalar type, source and
// value), so that two parses can be compared with deepEqual. Comments are left out: the incremental and
// fast parsers do not promise to attach them where the `yaml` package does, and nothing reads them.
import { isMap, isPair, isScalar, isSeq } from 'yaml';

/** Every node with its class, range, value and properties (comments aside: they may attach elsewhere). */
export function dump(node: unknown, out: unknown[] = []): unknown[] {
  if (node === null || node === undefined || typeof node !== 'object') {
    out.push(node);
    return out;
  }
  if (isPair(node)) {
    out.push('pair');
    dump(node.key, out);
    dump(node.value, out);
    return out;
  }
  const n = node as { constructor: { name: string }; range?: number[]; tag?: string; anchor?: string; flow?: boolean };
  out.push(n.constructor.name, n.range ? [...n.range] : undefined, n.tag, n.anchor, !!n.flow);
  if (isScalar(node))
    out.push(
      node.type,
      node.source,
      node.format,
      node.minFractionDigits,
      typeof node.value === 'symbol'
        ? String(node.value)
        : node.value instanceof Date
          ? node.value.toISOString()
          : typeof node.value === 'number' && isNaN(node.value)
            ? 'NaN'
            : node.value,
    );
  if (isMap(node) || isSeq(node)) {
    out.push(node.items.length);
    for (const item of node.items) dump(item, out);
  }
  if (!isScalar(node) && !isMap(node) && !isSeq(node)) out.push(String((node as { source?: string }).source));
  return out;
}
