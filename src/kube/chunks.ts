import type { Readable } from 'node:stream';

/** Chunks held before the stream is paused (the socket then stops being read), and when it resumes. */
const HIGH_WATER = 16;
const LOW_WATER = 4;

/**
 * The chunks of a byte stream, each as it arrived, read only as fast as
 * they are taken (the stream pauses while {@link HIGH_WATER} are waiting).
 * A stream's own async iterator answers each `next()` with everything
 * buffered joined into one new Buffer: a copy of every byte of a fast
 * stream. Ending the iteration early destroys the stream.
 */
export async function* chunksOf(stream: Readable): AsyncGenerator<Buffer, void, undefined> {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const onData = (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= HIGH_WATER) stream.pause();
    wake?.();
  };
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  const onError = (error: unknown) => {
    failure ??= { error };
    wake?.();
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
  // Closed without an end (destroyed): what was read is all there is, or the error says why.
  stream.on('close', onEnd);
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        if (queue.length <= LOW_WATER && stream.isPaused()) stream.resume();
        yield chunk;
        continue;
      }
      if (failure) throw failure.error;
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onError);
    stream.off('close', onEnd);
    if (!stream.readableEnded) stream.destroy();
  }
}
