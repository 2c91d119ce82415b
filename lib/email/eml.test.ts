import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQuotedPrintable, encodeQuotedPrintable, extractCode, extractLinks, formatEml, parseEml } from './eml.ts';
import { EmailAddressError } from './mailer.ts';
import { newestMessageTo, outboxMailer, readOutbox } from './outbox-node.ts';

const o = { from: 'Practice Digital <no-reply@practice-digital.localhost>', id: 'abc123', date: new Date('2025-03-01T09:30:00Z') };

describe('formatEml and parseEml', () => {
  it('writes RFC 5322 with CRLF and a multipart/alternative body, and reads it back', () => {
    const eml = formatEml({ to: 'a.person@nhs.net', subject: 'Hello', text: 'Line one\nhttps://x.localhost/a?b=1&c=2', html: '<p lang="en">Hi</p>' }, o);
    expect(eml).toContain('\r\nDate: Sat, 01 Mar 2025 09:30:00 +0000\r\n');
    expect(eml.split('\r\n').every((l) => l.length <= 998)).toBe(true);
    expect(eml.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // ASCII parts stay readable in the file.
    expect(eml).toContain('Content-Transfer-Encoding: 7bit');
    expect(eml).toContain('https://x.localhost/a?b=1&c=2');
    const m = parseEml(eml);
    expect(m.to).toBe('a.person@nhs.net');
    expect(m.subject).toBe('Hello');
    expect(m.messageId).toBe('abc123@outbox.localhost');
    expect(m.date?.toISOString()).toBe('2025-03-01T09:30:00.000Z');
    expect(m.text).toBe('Line one\nhttps://x.localhost/a?b=1&c=2');
    expect(m.html).toBe('<p lang="en">Hi</p>');
  });

  it('encodes non-ASCII text and subjects, and long lines, losslessly', () => {
    const text = `Dr Siân O’Neill — café ✓\n${'x'.repeat(1200)}\ntrailing space `;
    const eml = formatEml({ to: 'b@nhs.net', subject: 'Sign in — Siân', text, html: '<p>é</p>' }, o);
    expect(eml).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=\r$/m);
    expect(eml.split('\r\n').every((l) => l.length <= 78 || l.startsWith('Content-Type: multipart'))).toBe(true);
    const m = parseEml(eml);
    expect(m.subject).toBe('Sign in — Siân');
    expect(m.text).toBe(text);
    expect(m.html).toBe('<p>é</p>');
    expect(new TextDecoder().decode(decodeQuotedPrintable(encodeQuotedPrintable('a=b\tc ')))).toBe('a=b\tc ');
  });

  it('refuses header injection and addresses that are not addresses', () => {
    expect(() => formatEml({ to: 'a@nhs.net\r\nBcc: x@y.z', subject: 's', text: '', html: '' }, o)).toThrow(EmailAddressError);
    expect(() => formatEml({ to: 'a@nhs.net', subject: 's\nBcc: x@y.z', text: '', html: '' }, o)).toThrow(EmailAddressError);
    expect(() => formatEml({ to: 'Someone <a@nhs.net>', subject: 's', text: '', html: '' }, o)).toThrow(EmailAddressError);
  });

  it('finds codes and links', () => {
    expect(extractCode('Your code is:\n\n012345\n\nhttps://x.localhost/?t=9876543')).toBe('012345');
    expect(extractCode('no code 1234567')).toBeUndefined();
    expect(extractLinks('see https://a.localhost/x?y=1 and <http://b.localhost:8787/p>.')).toEqual(['https://a.localhost/x?y=1', 'http://b.localhost:8787/p']);
  });
});

describe('the outbox', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pd-outbox-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one .eml per message, in order, and finds the newest to an address', async () => {
    const mailer = outboxMailer(path.join(dir, 'out'), { now: () => Date.parse('2025-03-01T09:30:00Z') });
    await mailer.send({ to: 'one@nhs.net', subject: 'first', text: 'a', html: '<p>a</p>' });
    await mailer.send({ to: 'two@nhs.net', subject: 'other', text: 'b', html: '<p>b</p>' });
    const { id } = await mailer.send({ to: 'one@nhs.net', subject: 'second', text: 'c', html: '<p>c</p>' });
    const names = await readdir(path.join(dir, 'out'));
    expect(names).toHaveLength(3);
    expect(names.every((n) => /^20250301T093000\.000Z-\d{6}-[0-9a-f]{16}\.eml$/.test(n))).toBe(true);
    expect((await readOutbox(path.join(dir, 'out'))).map((m) => m.subject)).toEqual(['first', 'other', 'second']);
    const newest = await newestMessageTo(path.join(dir, 'out'), 'ONE@nhs.net');
    expect(newest?.subject).toBe('second');
    expect(newest?.file).toContain(id);
    expect(await readFile(newest!.file, 'utf8')).toContain(`Message-ID: <${id}@outbox.localhost>`);
    expect(await newestMessageTo(path.join(dir, 'missing'), 'one@nhs.net')).toBeUndefined();
  });

  it('keeps one message per idempotency key, as Resend does, and still writes unkeyed repeats', async () => {
    const out = path.join(dir, 'keyed');
    const mailer = outboxMailer(out);
    const message = { to: 'one@nhs.net', subject: 'Your code', text: 'a', html: '<p>a</p>' };
    const first = await mailer.send({ ...message, idempotencyKey: 'auth-email/msg_1' });
    expect(await mailer.send({ ...message, idempotencyKey: 'auth-email/msg_1' })).toEqual(first);
    await mailer.send({ ...message, idempotencyKey: 'auth-email/msg_2' });
    await mailer.send(message);
    await mailer.send(message);
    expect(await readdir(out)).toHaveLength(4);
    expect(await readFile(path.join(out, (await readdir(out)).find((n) => n.includes(first.id))!), 'utf8')).not.toContain('auth-email/msg_1');
  });
});
