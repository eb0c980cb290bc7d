// The chunked document answers as vscode-languageserver-textdocument's TextDocument does for the same
// edits (the reference), across chunk boundaries, with \n, \r\n and lone \r line breaks; and its
// indentation queries give what a scan of the whole text gives.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { ChunkedTextDocument } from '../../src/language-server/chunkedDocument';

/** A seeded generator, so that a failure replays. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = ['entry_points:', '  main:', '    parameters:', '      alpha: {type: float}', '# note', '', '   ', '\tcommand: x', 'name: big'];

function randomText(next: () => number, chars: number, breaks: string[]): string {
  const parts: string[] = [];
  let size = 0;
  while (size < chars) {
    const piece = PIECES[Math.floor(next() * PIECES.length)] + breaks[Math.floor(next() * breaks.length)];
    parts.push(piece);
    size += piece.length;
  }
  return parts.join('');
}

const isContent = (line: string) => /^[ \t]*[^ \t#]/.test(line);
const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].length;

function assertSame(chunked: ChunkedTextDocument, reference: TextDocument, next: () => number, context: string): void {
  const text = reference.getText();
  assert.equal(chunked.getText(), text, context);
  assert.equal(chunked.length, text.length, context);
  assert.equal(chunked.lineCount, reference.lineCount, context);
  for (let k = 0; k < 40; k++) {
    const offset = Math.floor(next() * (text.length + 3)) - 1;
    assert.deepEqual(chunked.positionAt(offset), reference.positionAt(offset), `${context}: positionAt(${offset})`);
    const position = { line: Math.floor(next() * (reference.lineCount + 2)) - 1, character: Math.floor(next() * 40) };
    assert.equal(chunked.offsetAt(position), reference.offsetAt(position), `${context}: offsetAt(${JSON.stringify(position)})`);
    const line = position.line;
    assert.deepEqual(chunked.getLineRange(line), reference.getLineRange(line), `${context}: getLineRange(${line})`);
    assert.equal(chunked.getEOLCharacters(line), reference.getEOLCharacters(line), `${context}: getEOLCharacters(${line})`);
    const range = { start: reference.positionAt(Math.floor(next() * text.length)), end: reference.positionAt(Math.floor(next() * text.length)) };
    if (reference.offsetAt(range.start) <= reference.offsetAt(range.end)) assert.equal(chunked.getText(range), reference.getText(range), context);
  }
  const lines = Array.from({ length: reference.lineCount }, (_, i) => reference.getText(reference.getLineRange(i)));
  for (let k = 0; k < 5; k++) {
    const line = Math.floor(next() * lines.length);
    assert.equal(chunked.lineText(line), lines[line], `${context}: lineText(${line})`);
    const limit = 1 + Math.floor(next() * 6);
    let expected: number | undefined;
    for (let l = line - 1; l >= 0 && expected === undefined; l--) if (isContent(lines[l]) && indentOf(lines[l]) < limit) expected = l;
    assert.equal(chunked.previousLineIndentedLess(line, limit), expected, `${context}: previousLineIndentedLess(${line}, ${limit})`);
  }
  const topLevel = lines.flatMap((l, i) => (isContent(l) && indentOf(l) === 0 ? [i] : []));
  assert.deepEqual(chunked.topLevelLines(), topLevel, context);
}

describe('ChunkedTextDocument', () => {
  for (const [name, breaks] of [
    ['\\n', ['\n']],
    ['\\r\\n', ['\r\n']],
    ['mixed \\n, \\r\\n, \\r', ['\n', '\r\n', '\r', '\n']],
  ] as const) {
    it(`matches TextDocument through 200 random edits of a 300 KB text (${name} line breaks)`, () => {
      const next = random(name.length * 7919);
      const initial = randomText(next, 300 * 1024, [...breaks]);
      let chunked = ChunkedTextDocument.create('file:///MLproject', 'mlproject', 1, initial);
      const reference = TextDocument.create('file:///MLproject', 'mlproject', 1, initial);
      assertSame(chunked, reference, next, 'opened');
      for (let version = 2; version < 202; version++) {
        const text = reference.getText();
        const at = Math.floor(next() * (text.length + 1));
        // Mostly typing and small deletions; now and then a cut of 100 KB (across chunks) or a paste.
        const roll = next();
        const length = roll < 0.1 ? Math.floor(next() * 100 * 1024) : Math.floor(next() * 4);
        const inserted = roll > 0.95 ? randomText(next, 150 * 1024, [...breaks]) : roll < 0.4 ? '' : randomText(next, 1 + Math.floor(next() * 30), [...breaks]);
        const range: Range = { start: reference.positionAt(at), end: reference.positionAt(Math.min(text.length, at + length)) };
        // Now and then the range the other way round, which both must accept.
        const changes: TextDocumentContentChangeEvent[] = [{ range: next() < 0.1 ? { start: range.end, end: range.start } : range, text: inserted }];
        if (next() < 0.02) changes.push({ text: randomText(next, 200 * 1024, [...breaks]) });
        const before = chunked;
        chunked = ChunkedTextDocument.update(chunked, changes, version);
        TextDocument.update(reference, changes, version);
        assert.equal(chunked.version, version);
        assert.notEqual(chunked, before, 'a new object per version');
        if (version % 25 === 0 || inserted.length > 1000 || length > 1000) assertSame(chunked, reference, next, `after edit ${version}`);
      }
      assertSame(chunked, reference, next, 'at the end');
    });
  }

  it('keeps the previous version readable after an edit', () => {
    const first = ChunkedTextDocument.create('file:///MLproject', 'mlproject', 1, 'name: a\nentry_points:\n');
    const second = ChunkedTextDocument.update(first, [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: 'b' }], 2);
    assert.equal(first.getText(), 'name: a\nentry_points:\n');
    assert.equal(second.getText(), 'name: b\nentry_points:\n');
  });

  it('deleting everything leaves one empty line', () => {
    const text = randomText(random(3), 200 * 1024, ['\n']);
    const document = ChunkedTextDocument.create('file:///MLproject', 'mlproject', 1, text);
    const reference = TextDocument.create('file:///MLproject', 'mlproject', 1, text);
    const range = { start: { line: 0, character: 0 }, end: reference.positionAt(text.length) };
    const empty = ChunkedTextDocument.update(document, [{ range, text: '' }], 2);
    assert.equal(empty.getText(), '');
    assert.equal(empty.lineCount, 1);
    assert.deepEqual(empty.positionAt(5), { line: 0, character: 0 });
    assert.deepEqual(empty.topLevelLines(), []);
  });
});
