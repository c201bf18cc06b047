import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { chunksOf } from '../../src/kube/chunks.js';

/** A byte stream the test feeds by hand, as a socket's body would arrive. */
const byHand = () => new Readable({ read() {} });

describe('the chunks of a byte stream', () => {
  test('each chunk as it arrived, never joined into a copy', async () => {
    const stream = byHand();
    const sent = [Buffer.from('{"a":1}\n'), Buffer.from('{"b":'), Buffer.from('2}\n')];
    for (const chunk of sent) stream.push(chunk);
    stream.push(null);
    const got: Buffer[] = [];
    for await (const chunk of chunksOf(stream)) got.push(chunk);
    assert.deepEqual(got, sent);
    // The same Buffers: nothing was copied on the way (a stream's own iterator joins what waits).
    assert.ok(got.every((chunk, i) => chunk === sent[i]));
  });

  test('read only as fast as taken: the stream pauses while 16 chunks wait, and resumes once they are taken', async () => {
    const stream = byHand();
    const chunks = chunksOf(stream);
    const first = chunks.next();
    for (let i = 0; i < 20; i++) stream.push(Buffer.from(`line ${i}\n`));
    assert.equal((await first).value?.toString(), 'line 0\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stream.isPaused(), true);
    for (let i = 1; i < 17; i++) await chunks.next();
    assert.equal(stream.isPaused(), false);
    stream.push(null);
    let rest = 0;
    for await (const _ of { [Symbol.asyncIterator]: () => chunks }) rest++;
    assert.equal(rest, 3);
  });

  test('a stream that fails: the chunks before, then its error', async () => {
    const stream = byHand();
    stream.push(Buffer.from('one\n'));
    setImmediate(() => stream.destroy(new Error('socket hang up')));
    const got: string[] = [];
    await assert.rejects(async () => {
      for await (const chunk of chunksOf(stream)) got.push(chunk.toString());
    }, /socket hang up/);
    assert.deepEqual(got, ['one\n']);
  });

  test('ending the iteration early destroys the stream (the socket is let go)', async () => {
    const stream = byHand();
    stream.push(Buffer.from('one\n'));
    for await (const _ of chunksOf(stream)) break;
    assert.equal(stream.destroyed, true);
  });
});
