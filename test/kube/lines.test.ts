import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { KubeDecodeError } from '../../src/kube/errors.js';
import { CUT_MARK, LineSplitter, readLines } from '../../src/kube/lines.js';

async function* chunks(parts: Uint8Array[]) {
  for (const part of parts) yield part;
}

/** Cuts bytes at the given (sorted, de-duplicated) offsets. */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of source) out.push(line);
  return out;
}

describe('LineSplitter', () => {
  test('splits lines across chunks and strips \\r', async () => {
    const enc = new TextEncoder();
    const lines = await collect(
      readLines(chunks([enc.encode('a\r\nb'), enc.encode('c\n'), enc.encode('\nlast')])),
    );
    assert.deepEqual(lines, ['a', 'bc', '', 'last']);
  });

  test('a multi-byte character split between chunks is decoded once, intact', async () => {
    const bytes = new TextEncoder().encode('héllo 🐕 wörld\n');
    const snowman = bytes.indexOf(0xf0); // first byte of the dog emoji
    const lines = await collect(
      readLines(chunks([bytes.subarray(0, snowman + 2), bytes.subarray(snowman + 2)])),
    );
    assert.deepEqual(lines, ['héllo 🐕 wörld']);
  });

  test('property: any chunking of any text yields the same lines as split("\\n")', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc
            .string({ unit: 'grapheme', maxLength: 20 })
            .map((s) => s.replaceAll('\n', '').replaceAll('\r', '')),
        ),
        fc.array(fc.nat(400)),
        async (lines, offsets) => {
          const text = lines.map((l) => `${l}\n`).join('');
          const bytes = new TextEncoder().encode(text);
          assert.deepEqual(await collect(readLines(chunks(cut(bytes, offsets)))), lines);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('an unfinished line is kept until its newline and returned by takeRemainder', () => {
    const splitter = new LineSplitter();
    assert.deepEqual([...splitter.push(Buffer.from('one\ntw'))], ['one']);
    assert.equal(splitter.pendingBytes, 2);
    assert.deepEqual([...splitter.push(Buffer.from('o\nthr'))], ['two']);
    assert.equal(splitter.takeRemainder(), 'thr');
    assert.equal(splitter.takeRemainder(), undefined);
  });

  test('a line over the limit is an error, not unbounded memory', () => {
    const splitter = new LineSplitter({ maxLineBytes: 10 });
    assert.throws(() => [...splitter.push(Buffer.from('0123456789abc'))], KubeDecodeError);
    assert.equal(splitter.pendingBytes, 0);
  });

  test('readLines pulls the source only as fast as lines are consumed', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield Buffer.from(`line ${i}\n`);
      }
    }
    const iterator = readLines(source());
    await iterator.next();
    await iterator.next();
    assert.ok(pulled <= 3, `pulled ${pulled} chunks for 2 lines`);
    await iterator.return(undefined);
  });
});

describe('LineSplitter, cutting lines that are too long (log lines)', () => {
  test('a long line is cut at the bound and marked; the lines after it are whole', () => {
    const splitter = new LineSplitter({ maxLineBytes: 8, cut: true });
    const lines = [
      ...splitter.push(Buffer.from('short\n0123456789')),
      ...splitter.push(Buffer.from('abcdef\nafter\nlong-')),
      ...splitter.push(Buffer.from('er-than-eight')),
    ];
    assert.deepEqual(lines, ['short', `01234567${CUT_MARK}`, 'after']);
    assert.ok(splitter.pendingBytes <= 8);
    assert.equal(splitter.takeRemainder(), `long-er-${CUT_MARK}`);
  });

  test('whatever the chunks, nothing is kept beyond the bound and every line comes out (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 30 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 7 }),
        (lines, size) => {
          const text = lines.map((l) => l.replace(/\n/g, '')).join('\n');
          const splitter = new LineSplitter({ maxLineBytes: 10, cut: true });
          const out: string[] = [];
          const bytes = Buffer.from(`${text}\n`);
          for (let i = 0; i < bytes.length; i += size) {
            out.push(...splitter.push(bytes.subarray(i, i + size)));
            if (splitter.pendingBytes > 10) return false;
          }
          return out.length === text.split('\n').length;
        },
      ),
    );
  });
});
