import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmailAddressError, type EmailMessage } from './mailer.ts';
import { ResendError, resendMailer } from './resend.ts';

// A fake Resend on loopback: records each request and answers as the test says.
interface Received { method: string | undefined; url: string | undefined; headers: IncomingHttpHeaders; body: string }
let received: Received[] = [];
let answer: { status: number; body: unknown; delayMs?: number } = { status: 200, body: {} };
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
beforeEach(() => {
  received = [];
  answer = { status: 200, body: { id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' } };
});

const apiKey = 're_test_fake';
const from = 'Practice Digital <no-reply@mail.practice-digital.example>';
const message: EmailMessage = { to: 'jo@example.org', subject: 'Your sign-in code for Practice Digital', text: 'Code 482913', html: '<p>Code 482913</p>' };

describe('resendMailer', () => {
  it('posts the message to /emails with the bearer key and returns Resend\'s id', async () => {
    const mailer = resendMailer({ apiKey, from, baseUrl: `${baseUrl}/` });
    expect(await mailer.send(message)).toEqual({ id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' });
    expect(received).toHaveLength(1);
    const [req] = received;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/emails');
    expect(req!.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req!.body)).toEqual({ from, to: ['jo@example.org'], subject: message.subject, html: message.html, text: message.text });
  });

  it('sends the idempotency key as Resend\'s Idempotency-Key header, and only when there is one', async () => {
    const mailer = resendMailer({ apiKey, from, baseUrl });
    await mailer.send({ ...message, idempotencyKey: 'auth-email/msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' });
    await mailer.send(message);
    expect(received.map((r) => r.headers['idempotency-key'])).toEqual(['auth-email/msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', undefined]);
    // The key is a header, never part of the message Resend stores.
    expect(JSON.parse(received[0]!.body)).not.toHaveProperty('idempotencyKey');
  });

  it('refuses a key that could not travel in a header, before calling Resend', async () => {
    const mailer = resendMailer({ apiKey, from, baseUrl });
    await expect(mailer.send({ ...message, idempotencyKey: 'two\r\nlines' })).rejects.toThrow('The idempotency key must be 1 to 256 letters');
    await expect(mailer.send({ ...message, idempotencyKey: 'x'.repeat(257) })).rejects.toBeInstanceOf(EmailAddressError);
    expect(received).toHaveLength(0);
  });

  for (const [status, body, expected] of [
    [422, { statusCode: 422, name: 'validation_error', message: 'Invalid `to` field: jo@example.org 482913' }, 'Resend refused the email: HTTP 422 (validation_error)'],
    [401, { statusCode: 401, name: 'missing_api_key', message: `key ${apiKey} is not valid` }, 'Resend refused the email: HTTP 401 (missing_api_key)'],
    [500, 'not json at all', 'Resend refused the email: HTTP 500'],
  ] as const)
    it(`explains a ${status} without the key or the message`, async () => {
      answer = { status, body };
      const error = await resendMailer({ apiKey, from, baseUrl }).send(message).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResendError);
      expect((error as ResendError).status).toBe(status);
      expect((error as Error).message).toBe(expected);
      const everything = JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack, cause: (error as Error).cause });
      expect(everything).not.toContain(apiKey);
      expect(everything).not.toContain('482913');
    });

  it('says so when Resend cannot be reached, or does not answer in time', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(resendMailer({ apiKey, from, baseUrl: deadUrl }).send(message)).rejects.toThrow(/could not be reached/);

    answer = { status: 200, body: { id: 'late' }, delayMs: 500 };
    await expect(resendMailer({ apiKey, from, baseUrl, timeoutMs: 50 }).send(message)).rejects.toThrow(/did not answer in time/);
  });

  it('treats a 2xx without an id as a failure', async () => {
    answer = { status: 200, body: {} };
    await expect(resendMailer({ apiKey, from, baseUrl }).send(message)).rejects.toThrow(/no id/);
  });

  it('checks the recipient and subject before calling Resend, and needs a key', async () => {
    const mailer = resendMailer({ apiKey, from, baseUrl });
    await expect(mailer.send({ ...message, to: 'Jo <jo@example.org>' })).rejects.toBeInstanceOf(EmailAddressError);
    await expect(mailer.send({ ...message, subject: 'a\r\nBcc: x@example.org' })).rejects.toBeInstanceOf(EmailAddressError);
    expect(received).toHaveLength(0);
    expect(() => resendMailer({ apiKey: '', from })).toThrow(/key is missing/);
  });

  it('uses an injected fetch and the real API address by default', async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (input) => (calls.push(String(input)), Response.json({ id: 'x1' }));
    expect(await resendMailer({ apiKey, from, fetch: fake }).send(message)).toEqual({ id: 'x1' });
    expect(calls).toEqual(['https://api.resend.com/emails']);
  });
});
