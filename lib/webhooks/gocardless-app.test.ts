import { createHmac } from 'node:crypto';
import { parse } from 'gocardless-nodejs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { demoNow, repo } from '../../test/support/demo-site.ts';
import type { Database } from '../db/database.ts';
import { gocardlessWebhooks } from './gocardless-app.ts';
import { gocardlessSignatureVerifier } from './gocardless-signature.ts';

const secret = 'whsec-test-ElEvEn-0123456789';
const url = '/api/webhooks/gocardless';
const riversideCustomer = 'CU000RIVER';
const fellsideCustomer = 'CU000FELL';

let opened: OpenedDatabase;
// The webhook's clock; tests of redelivery move it on, so a second application would show.
let clock = demoNow;
const later = () => (clock = new Date(clock.getTime() + 60_000));
const serviceUses: string[] = [];
let app: ReturnType<typeof gocardlessWebhooks>;

beforeAll(async () => {
  opened = await openDatabase({ root: repo, onServiceUse: (reason) => serviceUses.push(reason) });
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start, status) values
      ('riverside', 'Z99901', 'Riverside Medical Practice', 'england', '2026-01-01', 'active'),
      ('fellside', 'Z99902', 'Fellside Surgery', 'england', '2026-01-01', 'active');
    insert into public.billing (practice_id, gocardless_customer_id) values
      ((select id from public.practices where slug = 'riverside'), '${riversideCustomer}'),
      ((select id from public.practices where slug = 'fellside'), '${fellsideCustomer}');
  `);
  app = gocardlessWebhooks({ db: opened.db, secret, now: () => clock });
});
afterAll(() => opened?.close());

const sign = (body: string | Uint8Array, key = secret) => createHmac('sha256', key).update(body).digest('hex');
const delivery = (...events: unknown[]) => JSON.stringify({ events, meta: { webhook_id: 'WB000TEST' } });
const event = (id: string, resource_type: string, action: string, links: Record<string, string>) => ({
  id,
  created_at: '2026-12-04T11:00:00.000Z',
  resource_type,
  action,
  links,
  details: { origin: 'gocardless', cause: action, description: 'A test event.' },
});

const post = async (body: BodyInit, signature?: string, headers: Record<string, string> = {}, target = app): Promise<Response> =>
  await target.request(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', ...(signature === undefined ? {} : { 'Webhook-Signature': signature }), ...headers },
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
const deliver = (body: string) => post(body, sign(body));

const billing = async (slug: string) =>
  (
    await opened.owner.query<Record<string, unknown>>(
      `select b.mandate_id, b.mandate_status, b.subscription_id, b.subscription_status, b.last_payment_id, b.last_payment_status
       from public.billing b join public.practices p on p.id = b.practice_id where p.slug = $1`,
      [slug],
    )
  )[0];
const snapshot = async () => ({
  billing: await opened.owner.query('select * from public.billing order by practice_id'),
  events: await opened.owner.query('select source, event_id, event_type, processed_at from public.processed_webhook_events order by id'),
});

const expectHeaders = (res: Response) => {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(res.headers.get('strict-transport-security')).toContain('max-age=');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('cache-control')).toBe('no-store');
};

/** Sends a request that must be refused with `status` and must leave the database exactly as it was. */
const refusedWithoutChange = async (status: number, send: () => Promise<Response>) => {
  const before = await snapshot();
  const res = await send();
  expect(res.status).toBe(status);
  expectHeaders(res);
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({ error: expect.any(String), message: expect.any(String) });
  expect(await snapshot()).toEqual(before);
  return JSON.parse(text) as { error: string; message: string };
};

// The lifecycle of Riverside's Direct Debit, as GoCardless would send it.
const mandateCreated = delivery(event('EV000M1CREATED', 'mandates', 'created', { mandate: 'MD000RIVER1', customer: riversideCustomer }));
const mandateActive = delivery(event('EV000M1ACTIVE', 'mandates', 'active', { mandate: 'MD000RIVER1' }));
const subscriptionCreated = delivery(event('EV000S1CREATED', 'subscriptions', 'created', { subscription: 'SB000RIVER1', mandate: 'MD000RIVER1' }));
const paymentConfirmed = delivery(event('EV000P1CONFIRMED', 'payments', 'confirmed', { payment: 'PM000RIVER1', subscription: 'SB000RIVER1' }));
const paymentFailed = delivery(event('EV000P2FAILED', 'payments', 'failed', { payment: 'PM000RIVER2', subscription: 'SB000RIVER1' }));

describe('the signature, cross-checked against the official gocardless-nodejs parser', () => {
  const verifier = gocardlessSignatureVerifier(secret);
  const body = mandateCreated;
  const good = sign(body);
  const digest = createHmac('sha256', secret).update(body).digest();
  const cases: [string, string, string | undefined][] = [
    ['the correct signature', body, good],
    ['no signature', body, undefined],
    ['an empty signature', body, ''],
    ['a signature made with another secret', body, sign(body, 'not-the-secret')],
    ['a signature of another body', body, sign(mandateActive)],
    ['the body changed after signing', body.replace('MD000RIVER1', 'MD000RIVER9'), good],
    ['one more byte after signing', `${body} `, good],
    ['a signature truncated by one digit', body, good.slice(0, 63)],
    ['a signature truncated by one byte', body, good.slice(0, 62)],
    ['half a signature', body, good.slice(0, 32)],
    ['a signature with one digit changed', body, good.slice(0, 10) + (good[10] === '0' ? '1' : '0') + good.slice(11)],
    ['a signature with a byte appended', body, `${good}00`],
    ['the signature in base64', body, digest.toString('base64')],
    ['the signature in base64url', body, digest.toString('base64url')],
    ['the signature with a "sha256=" prefix', body, `sha256=${good}`],
    ['the signature in upper case', body, good.toUpperCase()],
    ['the signature followed by junk', body, `${good}zz`],
  ];
  // The official parser decodes the header with Node's lenient `Buffer.from(header, 'hex')`, so
  // it also takes upper-case hex and ignores junk after the 64th digit. GoCardless only ever
  // sends 64 lower-case hex digits, so we refuse these re-encodings; that is the only difference.
  const stricterThanOfficial = new Set(['the signature in upper case', 'the signature followed by junk']);

  const official = (b: string, header: string | undefined) => {
    try {
      parse(b, secret, header as string);
      return true;
    } catch {
      return false;
    }
  };

  it.each(cases)('%s: our verdict agrees with the official parser', async (name, b, header) => {
    const ours = await verifier.verify(new TextEncoder().encode(b), header);
    expect(ours).toBe(name === 'the correct signature');
    if (ours) expect(official(b, header)).toBe(true);
    else expect(official(b, header)).toBe(stricterThanOfficial.has(name));
  });

  it('agrees on many bodies and on every single-digit corruption of their signatures', async () => {
    for (let n = 0; n < 50; n++) {
      const b = delivery(event(`EV${String(n).padStart(8, '0')}`, 'payments', 'confirmed', { payment: `PM${n}X` }));
      const sig = sign(b);
      expect(await verifier.verify(new TextEncoder().encode(b), sig)).toBe(true);
      expect(official(b, sig)).toBe(true);
      const i = n % 64;
      const bad = sig.slice(0, i) + ((parseInt(sig[i]!, 16) + 1) % 16).toString(16) + sig.slice(i + 1);
      expect(await verifier.verify(new TextEncoder().encode(b), bad)).toBe(false);
      expect(official(b, bad)).toBe(false);
    }
  });

  it('refuses to start without a secret', () => {
    expect(() => gocardlessSignatureVerifier('')).toThrow();
  });
});

describe('POST /api/webhooks/gocardless', () => {
  it('moves a practice from pending to active to failed, one signed delivery at a time', async () => {
    expect(await billing('riverside')).toMatchObject({ mandate_id: null, mandate_status: null });

    let res = await deliver(mandateCreated);
    expect(res.status).toBe(204);
    expectHeaders(res);
    expect(await billing('riverside')).toMatchObject({ mandate_id: 'MD000RIVER1', mandate_status: 'pending_submission' });

    expect((await deliver(mandateActive)).status).toBe(204);
    expect(await billing('riverside')).toMatchObject({ mandate_status: 'active' });

    expect((await deliver(subscriptionCreated)).status).toBe(204);
    expect((await deliver(paymentConfirmed)).status).toBe(204);
    expect(await billing('riverside')).toEqual({
      mandate_id: 'MD000RIVER1',
      mandate_status: 'active',
      subscription_id: 'SB000RIVER1',
      subscription_status: 'active',
      last_payment_id: 'PM000RIVER1',
      last_payment_status: 'confirmed',
    });

    expect((await deliver(paymentFailed)).status).toBe(204);
    expect(await billing('riverside')).toMatchObject({ mandate_status: 'active', last_payment_id: 'PM000RIVER2', last_payment_status: 'failed' });

    // Fellside was never touched.
    expect(await billing('fellside')).toMatchObject({ mandate_id: null, subscription_id: null, last_payment_id: null });
    const recorded = await opened.owner.query<{ event_id: string; event_type: string }>(
      "select event_id, event_type from public.processed_webhook_events where source = 'gocardless' order by id",
    );
    expect(recorded.map((r) => `${r.event_id} ${r.event_type}`)).toEqual([
      'EV000M1CREATED mandates.created',
      'EV000M1ACTIVE mandates.active',
      'EV000S1CREATED subscriptions.created',
      'EV000P1CONFIRMED payments.confirmed',
      'EV000P2FAILED payments.failed',
    ]);
    // Every use of the service role said why.
    expect(serviceUses.length).toBeGreaterThanOrEqual(5);
    expect(new Set(serviceUses)).toEqual(new Set([expect.stringMatching(/^gocardless webhook: /)]));
  });

  it('ends a mandate with failed, cancelled or expired, and an old "active" does not revive it', async () => {
    const links = { mandate: 'MD000FELL1', customer: fellsideCustomer };
    expect((await deliver(delivery(event('EV000F1CREATED', 'mandates', 'created', links), event('EV000F1SUBMITTED', 'mandates', 'submitted', links)))).status).toBe(204);
    expect(await billing('fellside')).toMatchObject({ mandate_id: 'MD000FELL1', mandate_status: 'submitted' });
    expect((await deliver(delivery(event('EV000F1FAILED', 'mandates', 'failed', links)))).status).toBe(204);
    expect(await billing('fellside')).toMatchObject({ mandate_status: 'failed' });
    // A late, out-of-order event (a new id, correctly signed) is recorded and changes nothing.
    const before = await billing('fellside');
    expect((await deliver(delivery(event('EV000F1LATEACTIVE', 'mandates', 'active', links)))).status).toBe(204);
    expect(await billing('fellside')).toEqual(before);

    // A new mandate replaces the failed one; then it is cancelled, and later expires.
    const next = { mandate: 'MD000FELL2', customer: fellsideCustomer };
    await deliver(delivery(event('EV000F2CREATED', 'mandates', 'created', next), event('EV000F2ACTIVE', 'mandates', 'active', next)));
    expect(await billing('fellside')).toMatchObject({ mandate_id: 'MD000FELL2', mandate_status: 'active' });
    await deliver(delivery(event('EV000F2CANCELLED', 'mandates', 'cancelled', next)));
    expect(await billing('fellside')).toMatchObject({ mandate_status: 'cancelled' });
    await deliver(delivery(event('EV000F2REINSTATED', 'mandates', 'reinstated', next), event('EV000F2EXPIRED', 'mandates', 'expired', next)));
    expect(await billing('fellside')).toMatchObject({ mandate_status: 'expired' });

    // Subscriptions and charge-backs, too.
    await deliver(delivery(event('EV000FS1CREATED', 'subscriptions', 'created', { subscription: 'SB000FELL1', customer: fellsideCustomer })));
    await deliver(delivery(event('EV000FS1CANCELLED', 'subscriptions', 'cancelled', { subscription: 'SB000FELL1' })));
    await deliver(delivery(event('EV000FP1CHARGEDBACK', 'payments', 'charged_back', { payment: 'PM000FELL1', customer: fellsideCustomer })));
    expect(await billing('fellside')).toMatchObject({ subscription_status: 'cancelled', last_payment_id: 'PM000FELL1', last_payment_status: 'charged_back' });
  });

  it('keeps the newest payment state when an older payment event arrives late', async () => {
    const at = (iso: string, e: ReturnType<typeof event>) => ({ ...e, created_at: iso });
    const links = { payment: 'PM000FELL7', customer: fellsideCustomer };
    await deliver(delivery(at('2026-12-10T09:00:00.000Z', event('EV000FP7FAILED', 'payments', 'failed', { payment: 'PM000FELL8', customer: fellsideCustomer }))));
    expect(await billing('fellside')).toMatchObject({ last_payment_id: 'PM000FELL8', last_payment_status: 'failed' });
    // Last month's confirmation, retried by GoCardless after this month's failure: recorded, not applied.
    const before = await billing('fellside');
    expect((await deliver(delivery(at('2026-12-05T09:00:00.000Z', event('EV000FP7LATE', 'payments', 'confirmed', links))))).status).toBe(204);
    expect(await billing('fellside')).toEqual(before);
    const [late] = await opened.owner.query("select 1 from public.processed_webhook_events where event_id = 'EV000FP7LATE'");
    expect(late).toBeDefined();
    // A newer event for the same payment still moves it on.
    await deliver(delivery(at('2026-12-11T09:00:00.000Z', event('EV000FP8CHARGEDBACK', 'payments', 'charged_back', { payment: 'PM000FELL8', customer: fellsideCustomer }))));
    expect(await billing('fellside')).toMatchObject({ last_payment_id: 'PM000FELL8', last_payment_status: 'charged_back' });
  });

  describe('bad input and attacks leave the database unchanged', () => {
    const body = delivery(event('EV000ATTACK', 'mandates', 'cancelled', { mandate: 'MD000RIVER1' }));
    const good = sign(body);

    it.each([
      ['no signature', undefined],
      ['an empty signature', ''],
      ['a wrong signature', sign(body, 'guessed-secret')],
      ['a truncated signature', good.slice(0, 40)],
      ['an upper-case signature', good.toUpperCase()],
      ['a base64 signature', Buffer.from(good, 'hex').toString('base64')],
      ['a signature followed by junk', `${good}zz`],
    ])('%s: 498 with a generic answer', async (_, signature) => {
      const answer = await refusedWithoutChange(498, () => post(body, signature));
      expect(answer).toEqual({ error: 'invalid-signature', message: 'the webhook signature is not valid' });
    });

    it('a body changed after signing: 498', async () => {
      await refusedWithoutChange(498, () => post(body.replace('cancelled', 'active'), good));
    });

    it('malformed JSON, even correctly signed: 400', async () => {
      const broken = body.slice(0, -2);
      await refusedWithoutChange(400, () => deliver(broken));
    });

    it.each([
      ['no events', JSON.stringify({ meta: {} })],
      ['events that is not a list', JSON.stringify({ events: {} })],
      ['an event without an id', delivery({ resource_type: 'mandates', action: 'active', links: { mandate: 'MD000RIVER1' } })],
      ['a valid event followed by a malformed one', delivery(event('EV000OKFIRST', 'mandates', 'cancelled', { mandate: 'MD000RIVER1' }), 'oops')],
      ['a JSON array', '[]'],
      ['bytes that are not UTF-8', '\u00ff'],
    ])('%s: 400 and no event is applied', async (_, b) => {
      const bytes = b === '\u00ff' ? new Uint8Array([0xff, 0xfe]) : new TextEncoder().encode(b);
      await refusedWithoutChange(400, () => post(bytes, sign(bytes)));
    });

    it('an oversized body: 413, whether or not it declares its length, before the signature is checked', async () => {
      const small = gocardlessWebhooks({ db: opened.db, secret, maxBodyBytes: 1024 });
      const big = delivery(...Array.from({ length: 40 }, (_, i) => event(`EV000BIG${i}`, 'mandates', 'cancelled', { mandate: 'MD000RIVER1' })));
      expect(big.length).toBeGreaterThan(1024);
      await refusedWithoutChange(413, () => post(big, sign(big), {}, small));
      const stream = () =>
        new ReadableStream<Uint8Array>({
          start(c) {
            for (let i = 0; i < 8; i++) c.enqueue(new TextEncoder().encode(big.slice(i * 512, (i + 1) * 512)));
            c.close();
          },
        });
      await refusedWithoutChange(413, () => post(stream(), sign(big), {}, small));
      // A body within the limit still gets through.
      const fits = delivery(event('EV000SMALLOK', 'refunds', 'created', {}));
      expect((await post(fits, sign(fits), {}, small)).status).toBe(204);
    });

    it('a replayed delivery: acknowledged, nothing changes', async () => {
      // Re-sending the captured, validly signed "payment confirmed" delivery must not undo the
      // payment failure recorded since.
      later();
      const before = await snapshot();
      const res = await deliver(paymentConfirmed);
      expect(res.status).toBe(204);
      expectHeaders(res);
      expect(await snapshot()).toEqual(before);
    });

    it('the same event twice in one delivery and then redelivered: applied exactly once', async () => {
      const cancelled = event('EV000R1CANCELLED', 'subscriptions', 'cancelled', { subscription: 'SB000RIVER1' });
      const before = await snapshot();
      const at = later();
      expect((await deliver(delivery(cancelled, cancelled))).status).toBe(204);
      const after = await snapshot();
      expect(after.events).toEqual([...before.events, { source: 'gocardless', event_id: 'EV000R1CANCELLED', event_type: 'subscriptions.cancelled', processed_at: at }]);
      expect(await billing('riverside')).toMatchObject({ subscription_status: 'cancelled' });
      // A second event would have changed only this one row's status and time.
      expect(after.billing.filter((row, i) => JSON.stringify(row) !== JSON.stringify(before.billing[i]))).toHaveLength(1);
      later();
      expect((await deliver(delivery(cancelled))).status).toBe(204);
      expect(await snapshot()).toEqual(after);
    });

    it('an event for an unknown practice: recorded, acknowledged, no billing changes', async () => {
      const before = await snapshot();
      later();
      const b = delivery(event('EV000STRANGER', 'mandates', 'active', { mandate: 'MD000NOBODY', customer: 'CU000NOBODY' }));
      expect((await deliver(b)).status).toBe(204);
      const after = await snapshot();
      expect(after.billing).toEqual(before.billing);
      expect(after.events.slice(before.events.length)).toEqual([{ source: 'gocardless', event_id: 'EV000STRANGER', event_type: 'mandates.active', processed_at: clock }]);
    });

    it('links that name two different practices: recorded, neither practice changes', async () => {
      const before = await snapshot();
      expect((await deliver(delivery(event('EV000CONFUSED', 'payments', 'failed', { payment: 'PM000X1', customer: fellsideCustomer, mandate: 'MD000RIVER1' })))).status).toBe(204);
      expect((await snapshot()).billing).toEqual(before.billing);
    });

    it('an unknown event type or action: recorded, acknowledged, no billing changes', async () => {
      const before = await snapshot();
      const b = delivery(
        event('EV000REFUND', 'refunds', 'created', { refund: 'RF000X', payment: 'PM000RIVER2' }),
        event('EV000ODDACTION', 'mandates', 'customer_approval_granted', { mandate: 'MD000RIVER1' }),
        event('EV000WEIRDTYPE', 'Not A Type!', 'x', { mandate: 'MD000RIVER1' }),
      );
      expect((await deliver(b)).status).toBe(204);
      const after = await snapshot();
      expect(after.billing).toEqual(before.billing);
      expect(after.events.slice(before.events.length).map((e) => [e.event_id, e.event_type])).toEqual([
        ['EV000REFUND', 'refunds.created'],
        ['EV000ODDACTION', 'mandates.customer_approval_granted'],
        ['EV000WEIRDTYPE', null],
      ]);
    });

    it('other methods and paths: 404 with the security headers', async () => {
      for (const res of [await app.request(url), await app.request('/api/webhooks/other', { method: 'POST', body: '{}' })]) {
        expect(res.status).toBe(404);
        expectHeaders(res);
      }
    });
  });

  it('applies each event all-or-nothing: a failure part-way keeps earlier events, and a retry finishes the rest once', async () => {
    let calls = 0;
    const flaky: Database = {
      ...opened.db,
      asService: (reason, fn) =>
        opened.db.asService(reason, async (q) => {
          const result = await fn(q);
          // The second event's transaction fails after its writes: they must all roll back.
          if (++calls === 2) throw new Error('connection lost: secret detail');
          return result;
        }),
    };
    const flakyApp = gocardlessWebhooks({ db: flaky, secret, now: () => clock });
    const b = delivery(
      event('EV000FLAKY1', 'payments', 'confirmed', { payment: 'PM000RIVER3', mandate: 'MD000RIVER1' }),
      event('EV000FLAKY2', 'payments', 'failed', { payment: 'PM000RIVER4', mandate: 'MD000RIVER1' }),
    );
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await post(b, sign(b), {}, flakyApp);
      expect(res.status).toBe(500);
      expectHeaders(res);
      const text = await res.text();
      expect(text).not.toContain('secret detail');
      expect(log.mock.calls.flat().join(' ')).not.toMatch(/secret detail|PM000RIVER|EV000FLAKY/);
    } finally {
      log.mockRestore();
    }
    expect(await billing('riverside')).toMatchObject({ last_payment_id: 'PM000RIVER3', last_payment_status: 'confirmed' });
    const ids = async () => (await opened.owner.query<{ event_id: string }>("select event_id from public.processed_webhook_events where event_id like 'EV000FLAKY%' order by id")).map((r) => r.event_id);
    expect(await ids()).toEqual(['EV000FLAKY1']);

    // GoCardless retries the whole delivery: the first event is a duplicate, the second applies.
    expect((await deliver(b)).status).toBe(204);
    expect(await ids()).toEqual(['EV000FLAKY1', 'EV000FLAKY2']);
    expect(await billing('riverside')).toMatchObject({ last_payment_id: 'PM000RIVER4', last_payment_status: 'failed' });
  });
});
