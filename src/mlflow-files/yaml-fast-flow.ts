// Part of the hand-written YAML block reader (yaml-fast-blocks.ts explains it): one-line flow
// collections (`{a: 1, b: [x, y]}`) and their scalars.
import { Pair, YAMLMap, YAMLSeq, type Node, type Scalar } from 'yaml';
import { COLON, HASH, ScalarReader, SPACE, UNSUPPORTED } from './yaml-fast-scalars';

export abstract class FlowReader extends ScalarReader {
  /** A one-line flow collection starting at `p`; `end` is after its closing bracket. */
  protected flow(p: number, lineEnd: number): { node: YAMLMap | YAMLSeq; end: number } {
    const isMap = this.src.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    const node = isMap ? new YAMLMap(this.resolver.schema as never) : new YAMLSeq(this.resolver.schema as never);
    node.flow = true;
    let q = p + 1;
    const skipSpaces = () => {
      while (this.src.charCodeAt(q) === SPACE) q++;
      if (q >= lineEnd) throw UNSUPPORTED; // the collection goes on to the next line
    };
    skipSpaces();
    if (this.src.charCodeAt(q) === close) throw UNSUPPORTED; // empty: rare, and not worth the special ranges
    for (;;) {
      let item: Node;
      if (isMap) {
        const keyEnd = this.flowScalarEnd(q, lineEnd);
        const key = this.flowScalar(q, keyEnd, keyEnd);
        q = keyEnd;
        while (this.src.charCodeAt(q) === SPACE) q++;
        if (this.src.charCodeAt(q) !== COLON || this.src.charCodeAt(q + 1) !== SPACE) throw UNSUPPORTED;
        q += 1;
        skipSpaces();
        const value = this.flowItem(q, lineEnd);
        q = value.range![2] - this.base;
        (node as YAMLMap).items.push(new Pair(key, value));
      } else {
        item = this.flowItem(q, lineEnd);
        q = item.range![2] - this.base;
        (node as YAMLSeq).items.push(item);
      }
      const ch = this.src.charCodeAt(q);
      if (ch === close) break;
      if (ch !== 44) throw UNSUPPORTED;
      q++;
      skipSpaces();
      if (this.src.charCodeAt(q) === close) throw UNSUPPORTED; // a trailing comma
    }
    node.range = [this.base + p, this.base + q + 1, this.base + q + 1];
    return { node, end: q + 1 };
  }

  /** An item of a flow collection (a value, or a seq entry), its range through the spaces after it. */
  protected flowItem(q: number, lineEnd: number): Node {
    const c = this.src.charCodeAt(q);
    let node: Node;
    let end: number;
    if (c === 123 || c === 91) {
      const flow = this.flow(q, lineEnd);
      node = flow.node;
      end = flow.end;
    } else {
      end = this.flowScalarEnd(q, lineEnd);
      node = this.flowScalar(q, end, end);
    }
    let after = end;
    while (this.src.charCodeAt(after) === SPACE) after++;
    if (after >= lineEnd) throw UNSUPPORTED;
    node.range![2] = this.base + after;
    return node;
  }

  protected flowScalarEnd(q: number, lineEnd: number): number {
    const c = this.src.charCodeAt(q);
    if (c === 34 || c === 39) return this.quotedEnd(q, lineEnd, Infinity);
    const end = this.plainEnd(q, lineEnd, true);
    if (end >= lineEnd || (this.src.charCodeAt(end) === SPACE && this.src.charCodeAt(end + 1) === HASH)) throw UNSUPPORTED;
    return end;
  }

  protected flowScalar(q: number, end: number, rangeEnd: number): Scalar {
    const c = this.src.charCodeAt(q);
    if (c === 34 || c === 39) return this.quoted(q, end);
    return this.plain(this.src.slice(q, end), q, end, rangeEnd, false);
  }
}
