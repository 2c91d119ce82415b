// A signed webhook is verified on its exact bytes, before anything parses it; and a sender that
// streams more than the limit is cut off as soon as it passes it, declared length or not.
import type { Context } from 'hono';

/** The body's bytes, or null once it passes `max` (reading stops there). */
export async function readRawBody(c: Context, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > max) return null;
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) (body.set(chunk, at), (at += chunk.byteLength));
  return body;
}
