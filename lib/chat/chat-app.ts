// The patient chatbot's HTTP side (a Hono app, runtime-neutral): `POST /api/chat`. Served by a
// Pages Function in production (functions/api/chat.ts) and by the local server in development.
//
// Patient messages are special-category health data: this file never writes one anywhere. Not to
// logs, not into an error, a header, a cookie or any storage. What it keeps is counters.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { securityHeaders } from '../security/headers.ts';
import { answerMessage, type AiBinding } from './answer.ts';
import type { ChatIndex } from './index-format.ts';

export type ChatCounter = 'interrupted' | 'answered' | 'no-answer' | 'refused' | 'rejected';

export interface ChatDeps {
  /** The live revision's chat-index.json; called once per isolate (again only after a failure). */
  loadIndex(): Promise<ChatIndex>;
  /** Workers AI, where bound; without it the answer is extractive. */
  ai?: AiBinding;
  model?: string;
  /** `interrupted`: red-flag reply; `refused`: rate-limited; `rejected`: a request that was not a valid message. */
  counters?: { increment(name: ChatCounter): void };
  rateLimit?: RateLimiter;
  /** Whether the practice opts into the HSTS preload list (its `settings.hsts_preload`, default true). */
  hstsPreload?: boolean;
}

export const maxBodyBytes = 4 * 1024;
export const maxMessageChars = 1000;

// A JSON answer is not a page: nothing may load from it, frame it or sniff it. The rest are the
// pages' own headers, because `_headers` does not reach Function responses.
const apiCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function chatApp(deps: ChatDeps): Hono {
  const app = new Hono();
  const headers = { ...securityHeaders({ csp: apiCsp, hstsPreload: deps.hstsPreload ?? true }), 'Cache-Control': 'no-store' };
  const limiter = deps.rateLimit ?? tokenBucket({ capacity: 20, perMinute: 20 });
  const count = (name: ChatCounter) => deps.counters?.increment(name);
  // One load per isolate: every request of a cold start waits on the same promise.
  let index: Promise<ChatIndex> | undefined;
  const loadIndex = () => {
    index ??= deps.loadIndex().catch((e: unknown) => {
      index = undefined;
      throw e;
    });
    return index;
  };

  const problem = (c: Context, status: 400 | 405 | 413 | 415 | 429 | 500 | 503, error: string, message: string) => {
    if (status !== 500 && status !== 503) count(status === 429 ? 'refused' : 'rejected');
    return c.json({ error, message }, status);
  };

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  });

  app.onError((e, c) => {
    // The name only: an error's message could quote the request.
    console.error(`chat error: ${e instanceof Error ? e.name : 'unknown'}`);
    return problem(c, 500, 'internal', 'Sorry, something went wrong on our side. Please try again, or contact the practice.');
  });

  app.post(
    '/api/chat',
    async (c, next) => {
      // Cloudflare sets CF-Connecting-IP on every request it forwards; elsewhere callers share one bucket.
      const verdict = limiter.take(c.req.header('cf-connecting-ip') ?? 'unknown');
      if (!verdict.ok) {
        c.header('Retry-After', String(verdict.retryAfter));
        return problem(c, 429, 'rate-limited', 'Too many questions at once. Please wait a minute and try again.');
      }
      if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
        return problem(c, 415, 'unsupported-media-type', 'Send the question as JSON with "Content-Type: application/json".');
      await next();
    },
    bodyLimit({ maxSize: maxBodyBytes, onError: (c) => problem(c, 413, 'too-large', 'The request is larger than 4 KB.') }),
    async (c) => {
      const message = parseMessage(new Uint8Array(await c.req.arrayBuffer()));
      if (message === undefined)
        return problem(c, 400, 'invalid', `Send {"message": "your question"}, between 1 and ${maxMessageChars} characters.`);
      const idx = await loadIndex().catch(() => undefined);
      if (!idx) {
        console.error('chat error: the chat index could not be loaded');
        return problem(c, 503, 'unavailable', 'The question service is not available just now. Please contact the practice.');
      }
      const reply = await answerMessage(message, { index: idx, ai: deps.ai, model: deps.model });
      count(reply.kind === 'red-flag' ? 'interrupted' : reply.kind === 'answer' ? 'answered' : 'no-answer');
      return c.json({ kind: reply.kind, text: reply.text, citations: reply.citations, links: reply.links ?? [] });
    },
  );

  app.all('/api/chat', (c) => {
    c.header('Allow', 'POST');
    return problem(c, 405, 'method-not-allowed', 'Send questions with POST.');
  });
  app.notFound((c) => c.json({ error: 'not-found', message: 'Not found.' }, 404));
  return app;
}

/** The trimmed message, or undefined for anything but `{"message": "<1 to 1,000 characters of text>"}`. */
export function parseMessage(bytes: Uint8Array): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const raw = (body as Record<string, unknown>).message;
  if (typeof raw !== 'string') return undefined;
  const message = raw.trim();
  // Control characters (other than tab and line breaks) mean binary, not a question.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(message)) return undefined;
  const chars = [...message].length;
  return chars >= 1 && chars <= maxMessageChars ? message : undefined;
}

export interface RateLimiter {
  /** Takes one request from the client's allowance; when none is left, says how many seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfter: number };
}

/**
 * A token bucket per client, in memory. On Pages each isolate keeps its own, so this only blunts a
 * flood from one client; production adds a Cloudflare rate-limiting rule on /api/chat in front.
 * At most `maxClients` buckets are kept: when full, the oldest is dropped (it can only be too lenient).
 */
export function tokenBucket(o: { capacity: number; perMinute: number; maxClients?: number; now?: () => number }): RateLimiter {
  const now = o.now ?? Date.now;
  const maxClients = o.maxClients ?? 10_000;
  const perMs = o.perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: o.capacity, at: t };
      buckets.delete(key);
      b.tokens = Math.min(o.capacity, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.set(key, b);
      if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value!);
      if (b.tokens < 1) return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
      b.tokens -= 1;
      return { ok: true };
    },
  };
}
