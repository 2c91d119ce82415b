// POST /api/chat's HTTP rules, in Node with Hono's app.request: what it refuses, the headers on
// every response, the rate limit, and that a patient's words never reach a log.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { chatApp, tokenBucket, type ChatCounter, type ChatDeps } from './chat-app.ts';
import type { ChatIndex } from './index-format.ts';

// The answering core is tested on its own; here a stand-in says which kind of reply to give.
vi.mock('./answer.ts', () => ({
  answerMessage: async (message: string) => {
    if (message.includes('THROW')) throw new TypeError(`boom: ${message}`);
    return /chest pain/i.test(message)
      ? { kind: 'red-flag', text: 'Call 999 now.', citations: [], links: [{ label: 'Call 999', href: 'tel:999' }], route: '999' }
      : /saturday/i.test(message)
        ? { kind: 'answer', text: 'We are closed on Saturdays.', citations: [{ title: 'Contact us', url: '/contact/' }] }
        : { kind: 'no-answer', text: 'I could not find that on our website.', citations: [] };
  },
}));

const index = { version: 1, practice: 'test' } as unknown as ChatIndex;
const secret = 'SECRET-PATIENT-WORDS chest pain';

function setup(extra: Partial<ChatDeps> = {}) {
  const counts: Partial<Record<ChatCounter, number>> = {};
  const loadIndex = vi.fn(async () => index);
  const app = chatApp({ loadIndex, counters: { increment: (n) => void (counts[n] = (counts[n] ?? 0) + 1) }, ...extra });
  const post = (body: BodyInit | undefined, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    app.request('/api/chat', { method: 'POST', body, duplex: 'half', headers: { 'CF-Connecting-IP': '192.0.2.1', ...headers } } as RequestInit);
  return { app, post, counts, loadIndex };
}

const expectHeaders = (r: Response) => {
  expect(r.headers.get('cache-control')).toBe('no-store');
  expect(r.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains; preload');
  expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(r.headers.get('permissions-policy')).toContain('camera=()');
  expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(r.headers.get('set-cookie')).toBeNull();
};

let logs: MockInstance[];
beforeEach(() => {
  logs = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
});
afterEach(() => {
  // Whatever happened in the test, no log line carries the message.
  for (const spy of logs) for (const call of spy.mock.calls) expect(JSON.stringify(call)).not.toContain('SECRET-PATIENT-WORDS');
  vi.restoreAllMocks();
});

describe('POST /api/chat', () => {
  it('answers a message with JSON and the security headers', async () => {
    const { post, counts } = setup();
    const r = await post(JSON.stringify({ message: '  when are you open on Saturday?  ' }));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expectHeaders(r);
    expect(await r.json()).toEqual({ kind: 'answer', text: 'We are closed on Saturdays.', citations: [{ title: 'Contact us', url: '/contact/' }], links: [] });
    expect(counts).toEqual({ answered: 1 });
  });

  it('counts the red-flag interrupt and the no-answer reply', async () => {
    const { post, counts } = setup();
    const red = await (await post(JSON.stringify({ message: secret }))).json();
    expect(red).toMatchObject({ kind: 'red-flag', links: [{ href: 'tel:999' }] });
    expect(red).not.toHaveProperty('route');
    await post(JSON.stringify({ message: 'parking?' }));
    expect(counts).toEqual({ interrupted: 1, 'no-answer': 1 });
  });

  const bad: [string, BodyInit | undefined, number, Record<string, string>?][] = [
    ['an empty body', '', 400],
    ['an empty message', JSON.stringify({ message: '' }), 400],
    ['a message of only spaces', JSON.stringify({ message: ' \n\t ' }), 400],
    ['a message over 1,000 characters', JSON.stringify({ message: 'a'.repeat(1001) }), 400],
    ['a body over 4 KB', JSON.stringify({ message: 'a'.repeat(5000) }), 413],
    ['a body over 4 KB without a length', new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(5000).fill(65)), c.close()) }), 413],
    ['JSON that does not parse', '{"message": "hi"', 400],
    ['binary', new Uint8Array([0xff, 0xfe, 0x00, 0x01, 0x80]), 400],
    ['control characters', JSON.stringify({ message: 'hi\u0000\u0001' }), 400],
    ['no message', JSON.stringify({ text: 'hi' }), 400],
    ['a message that is not text', JSON.stringify({ message: 42 }), 400],
    ['an array', JSON.stringify(['hi']), 400],
    ['a bare string', JSON.stringify('hi'), 400],
    ['null', 'null', 400],
    ['form data', 'message=hi', 415, { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['text', JSON.stringify({ message: 'hi' }), 415, { 'Content-Type': 'text/plain' }],
    ['no content type', JSON.stringify({ message: 'hi' }), 415, {}],
    ['a look-alike content type', JSON.stringify({ message: 'hi' }), 415, { 'Content-Type': 'application/jsonx' }],
  ];
  for (const [what, body, status, headers] of bad)
    it(`refuses ${what} with ${status}`, async () => {
      const { post, counts } = setup();
      const r = await post(body, headers);
      expect(r.status).toBe(status);
      expectHeaders(r);
      const json = (await r.json()) as { error: string; message: string };
      // Each refusal says how to put it right.
      expect(json.message).toMatch(({ 400: /between 1 and 1000 characters/, 413: /larger than 4 KB/, 415: /"Content-Type: application\/json"/ } as Record<number, RegExp>)[status]!);
      expect(counts).toEqual({ rejected: 1 });
    });

  it('accepts exactly 1,000 characters, counted as characters not bytes', async () => {
    const { post } = setup();
    expect((await post(JSON.stringify({ message: '£'.repeat(1000) }))).status).toBe(200);
    expect((await post(JSON.stringify({ message: 'é'.repeat(1001) }))).status).toBe(400);
  });

  it('accepts a charset on the content type', async () => {
    const { post } = setup();
    expect((await post(JSON.stringify({ message: 'hi' }), { 'Content-Type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('refuses other methods with 405', async () => {
    const { app } = setup();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await app.request('/api/chat', { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow')).toBe('POST');
      expectHeaders(r);
    }
  });

  it('limits a flood from one client with 429 and Retry-After, leaving others alone', async () => {
    const { post, counts } = setup();
    const statuses = [];
    for (let i = 0; i < 25; i++) statuses.push((await post(JSON.stringify({ message: 'hi' }))).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const r = await post(JSON.stringify({ message: 'hi' }));
    expect(r.status).toBe(429);
    expectHeaders(r);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(counts.refused).toBe(6);
    expect((await post(JSON.stringify({ message: 'hi' }), { 'Content-Type': 'application/json', 'CF-Connecting-IP': '192.0.2.2' })).status).toBe(200);
  });

  it('takes an injected rate limiter', async () => {
    const { post } = setup({ rateLimit: { take: () => ({ ok: false, retryAfter: 42 }) } });
    const r = await post(JSON.stringify({ message: 'hi' }));
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('42');
  });

  it('loads the index once, and again only after a failure', async () => {
    let fail = true;
    const loadIndex = vi.fn(async () => {
      if (fail) throw new Error(`could not read ${secret}`);
      return index;
    });
    const { post } = setup({ loadIndex });
    const first = await post(JSON.stringify({ message: secret }));
    expect(first.status).toBe(503);
    expectHeaders(first);
    fail = false;
    await Promise.all([1, 2, 3].map(() => post(JSON.stringify({ message: 'hi' }))));
    await post(JSON.stringify({ message: 'hi' }));
    expect(loadIndex).toHaveBeenCalledTimes(2);
  });

  it('answers an internal failure generically, logging no message text', async () => {
    const { post } = setup();
    const r = await post(JSON.stringify({ message: `THROW ${secret}` }));
    expect(r.status).toBe(500);
    expectHeaders(r);
    const body = await r.text();
    expect(body).not.toContain('SECRET');
    expect(body).not.toContain('boom');
    expect(logs.some((s) => s.mock.calls.length > 0)).toBe(true);
  });

  it('drops the preload token for a practice that opts out', async () => {
    const { post } = setup({ hstsPreload: false });
    const r = await post(JSON.stringify({ message: 'hi' }));
    expect(r.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });
});

describe('tokenBucket', () => {
  it('refills at its rate and forgets the oldest client when full', () => {
    let t = 0;
    const b = tokenBucket({ capacity: 2, perMinute: 2, maxClients: 2, now: () => t });
    expect(b.take('a').ok).toBe(true);
    expect(b.take('a').ok).toBe(true);
    expect(b.take('a')).toEqual({ ok: false, retryAfter: 30 });
    t = 30_000;
    expect(b.take('a').ok).toBe(true);
    b.take('b');
    b.take('c'); // 'a' was used longest ago: dropped, so it starts full again
    expect(b.take('a').ok).toBe(true);
  });
});
