import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { demoNow, repo } from '../../test/support/demo-site.ts';
import { dbWebhookPath, dbWebhooks } from './db-app.ts';
import { flagDueForDeletion } from './retention.ts';
import { importWebhookSecret, signWebhook } from './standard-webhooks.ts';

const base64Secret = btoa('a database webhook secret, 32 b!');
const secret = `whsec_${base64Secret}`;
let opened: OpenedDatabase;
let app: ReturnType<typeof dbWebhooks>;
// The webhook's clock; moved on between deliveries so a second application would show.
let clock = demoNow;
const later = () => (clock = new Date(clock.getTime() + 60_000));
const ids: Record<string, string> = {};

beforeAll(async () => {
  opened = await openDatabase({ root: repo });
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start, status) values
      ('riverside', 'Z99901', 'Riverside Medical Practice', 'england', '2026-01-01', 'active'),
      ('fellside', 'Z99902', 'Fellside Surgery', 'england', '2026-01-01', 'active'),
      ('old-mill', 'Z99903', 'Old Mill Surgery', 'wales', '2010-01-01', 'ended');
    insert into public.members (practice_id, user_id, email, role) values
      ((select id from public.practices where slug = 'riverside'), '${randomUUID()}', 'editor@example.nhs.uk', 'editor');
  `);
  for (const r of await opened.owner.query<{ slug: string; id: string }>('select slug, id from public.practices')) ids[r.slug] = r.id;
  ids.member = (await opened.owner.query<{ id: string }>('select id from public.members'))[0]!.id;
  app = dbWebhooks({ db: opened.db, secret, now: () => clock });
});
afterAll(() => opened?.close());

const key = importWebhookSecret(secret);
let deliveries = 0;
const newId = () => `msg_test${++deliveries}`;

interface Signed {
  id: string;
  timestamp: number;
  signature: string;
}
const signed = async (body: string, o: { id?: string; at?: Date; secret?: string } = {}): Promise<Signed> => {
  const id = o.id ?? newId();
  const timestamp = Math.floor((o.at ?? clock).getTime() / 1000);
  const k = o.secret ? await importWebhookSecret(o.secret) : await key;
  return { id, timestamp, signature: await signWebhook(k, id, timestamp, body) };
};

const post = async (body: BodyInit, s?: Partial<Signed>, headers: Record<string, string> = {}): Promise<Response> =>
  await app.request(dbWebhookPath, {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/json',
      ...(s?.id === undefined ? {} : { 'webhook-id': s.id }),
      ...(s?.timestamp === undefined ? {} : { 'webhook-timestamp': String(s.timestamp) }),
      ...(s?.signature === undefined ? {} : { 'webhook-signature': s.signature }),
      ...headers,
    },
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
const deliver = async (body: string, id?: string) => post(body, await signed(body, { id }));

const change = (type: string, table: string, record: unknown, old_record: unknown = null, schema = 'public') =>
  JSON.stringify({ type, table, schema, record, old_record });
const practiceRow = (slug: string, contract_end: string | null) => ({ id: ids[slug], slug, contract_start: '2026-01-01', contract_end, status: 'active' });

const snapshot = async () => ({
  practices: await opened.owner.query('select id, contract_end::text, retain_until::text, flagged_for_deletion_at from public.practices order by slug'),
  members: await opened.owner.query('select * from public.members order by id'),
  events: await opened.owner.query('select source, event_id, event_type, processed_at from public.processed_webhook_events order by id'),
});
const practice = async (slug: string) =>
  (await opened.owner.query<{ retain_until: string | null; flagged: string | null }>(
    'select retain_until::text, flagged_for_deletion_at::text as flagged from public.practices where slug = $1',
    [slug],
  ))[0]!;
const events = () => opened.owner.query<{ event_id: string; event_type: string }>("select event_id, event_type from public.processed_webhook_events where source = 'supabase-db' order by id");

/** Sends a request that must be refused with `status` and leave the database exactly as it was. */
const refusedWithoutChange = async (status: number, send: () => Promise<Response>) => {
  const before = await snapshot();
  const res = await send();
  expect(res.status).toBe(status);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(await res.json()).toEqual({ error: expect.any(String), message: expect.any(String) });
  expect(await snapshot()).toEqual(before);
};

describe('a practice whose contract ends', () => {
  it('starts the retention clock once: contract end plus six years', async () => {
    await opened.owner.query("update public.practices set contract_end = '2027-03-31' where slug = 'riverside'");
    const body = change('UPDATE', 'practices', practiceRow('riverside', '2027-03-31'), practiceRow('riverside', null));
    const s = await signed(body);
    const res = await post(body, s);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'applied' });
    expect(await practice('riverside')).toEqual({ retain_until: '2033-03-31', flagged: null });
    expect((await events()).filter((e) => e.event_id === s.id)).toEqual([{ event_id: s.id, event_type: 'practices.contract_end' }]);

    // The same delivery again (Supabase retrying, or a replay within the tolerance): nothing changes.
    const before = await snapshot();
    later();
    const again = await post(body, s);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ outcome: 'duplicate' });
    expect(await snapshot()).toEqual(before);
  });

  it('follows the contract end in the database, not a stale payload', async () => {
    // A delivery that claims an older date: the clock still counts from the row as it is now.
    const res = await deliver(change('UPDATE', 'practices', practiceRow('riverside', '2026-06-30'), practiceRow('riverside', null)));
    expect(await res.json()).toEqual({ outcome: 'applied' });
    expect((await practice('riverside')).retain_until).toBe('2033-03-31');
  });

  it('is signed the way the reference Standard Webhooks library signs', async () => {
    await opened.owner.query("update public.practices set contract_end = '2028-02-29' where slug = 'fellside'");
    const body = change('UPDATE', 'practices', practiceRow('fellside', '2028-02-29'), practiceRow('fellside', null));
    const id = newId();
    const signature = new Webhook(base64Secret).sign(id, clock, body);
    const res = await post(body, { id, timestamp: Math.floor(clock.getTime() / 1000), signature });
    expect(res.status).toBe(200);
    // 29 February plus six years is 28 February.
    expect((await practice('fellside')).retain_until).toBe('2034-02-28');
  });

  it('acknowledges and records an event for a practice that does not exist, changing nothing else', async () => {
    const before = await snapshot();
    const ghost = { ...practiceRow('riverside', '2027-01-01'), id: randomUUID() };
    const s = await signed(change('UPDATE', 'practices', ghost, { ...ghost, contract_end: null }));
    const res = await post(change('UPDATE', 'practices', ghost, { ...ghost, contract_end: null }), s);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'unknown-practice' });
    const after = await snapshot();
    expect(after.practices).toEqual(before.practices);
    expect(after.events.slice(before.events.length)).toEqual([{ source: 'supabase-db', event_id: s.id, event_type: 'practices.contract_end', processed_at: expect.anything() }]);
  });

  it('ignores practice updates that leave the contract end alone, and changes to other tables', async () => {
    const before = await snapshot();
    const row = practiceRow('riverside', '2027-03-31');
    for (const body of [
      change('UPDATE', 'practices', { ...row, name: 'Renamed' }, row),
      change('INSERT', 'practices', row),
      change('DELETE', 'practices', null, row),
      change('UPDATE', 'billing', { practice_id: ids.riverside }, { practice_id: ids.riverside }),
      change('UPDATE', 'practices', row, { ...row, contract_end: null }, 'other'),
    ]) {
      const res = await deliver(body);
      expect(await res.json()).toEqual({ outcome: 'ignored' });
    }
    const after = await snapshot();
    expect(after.practices).toEqual(before.practices);
    expect(after.events.length).toBe(before.events.length + 5);
  });
});

describe('a membership that ends', () => {
  const member = (o: Record<string, unknown>) => ({ id: ids.member, practice_id: ids.riverside, role: 'editor', revoked_at: null, expires_at: null, ...o });

  it('is recorded once; access already ended with the row, so nothing else changes', async () => {
    const before = await snapshot();
    const body = change('UPDATE', 'members', member({ revoked_at: '2026-12-04T11:59:00Z' }), member({}));
    const s = await signed(body);
    expect(await (await post(body, s)).json()).toEqual({ outcome: 'applied' });
    expect(await (await post(body, s)).json()).toEqual({ outcome: 'duplicate' });
    const expired = change('UPDATE', 'members', member({ expires_at: '2026-12-04T11:00:00Z' }), member({ expires_at: '2026-12-05T11:00:00Z' }));
    expect(await (await deliver(expired)).json()).toEqual({ outcome: 'applied' });
    const ghost = change('UPDATE', 'members', member({ id: randomUUID(), revoked_at: '2026-12-04T11:59:00Z' }), member({}));
    expect(await (await deliver(ghost)).json()).toEqual({ outcome: 'unknown-member' });
    const after = await snapshot();
    expect(after.practices).toEqual(before.practices);
    expect(after.members).toEqual(before.members);
    expect(after.events.slice(before.events.length).map((e) => e.event_type)).toEqual(['members.revoked', 'members.expired', 'members.revoked']);
  });
});

describe('refused deliveries change nothing', () => {
  const body = () => change('UPDATE', 'practices', practiceRow('old-mill', '2012-12-31'), practiceRow('old-mill', null));
  const fiveMinutes = 5 * 60 * 1000;

  it('without signature headers: 401', async () => {
    const b = body();
    const s = await signed(b);
    await refusedWithoutChange(401, () => post(b));
    await refusedWithoutChange(401, () => post(b, { id: s.id, timestamp: s.timestamp }));
    await refusedWithoutChange(401, () => post(b, { timestamp: s.timestamp, signature: s.signature }));
    await refusedWithoutChange(401, () => post(b, { id: s.id, signature: s.signature }));
  });

  it('with a wrong signature: 401', async () => {
    const b = body();
    const s = await signed(b);
    await refusedWithoutChange(401, () => post(b, { ...s, signature: 'v1,' + btoa('x'.repeat(32)) }));
    await refusedWithoutChange(401, async () => post(b, await signed(b, { secret: `whsec_${btoa('another secret, thirty-two bytes')}` })));
    await refusedWithoutChange(401, () => post(b, { ...s, id: `${s.id}x` }));
    await refusedWithoutChange(401, () => post(b, { ...s, timestamp: s.timestamp + 1 }));
    await refusedWithoutChange(401, () => post(b, { ...s, signature: s.signature.replace('v1,', 'v2,') }));
  });

  it('with a stale or future timestamp, even correctly signed: 401', async () => {
    const b = body();
    await refusedWithoutChange(401, async () => post(b, await signed(b, { at: new Date(clock.getTime() - fiveMinutes - 1000) })));
    await refusedWithoutChange(401, async () => post(b, await signed(b, { at: new Date(clock.getTime() + fiveMinutes + 1000) })));
  });

  it('with the body changed after signing: 401', async () => {
    const b = body();
    const s = await signed(b);
    await refusedWithoutChange(401, () => post(b.replace('2012-12-31', '2099-12-31'), s));
    await refusedWithoutChange(401, () => post(`${b} `, s));
  });

  it('signed, but not JSON of the expected shape: 400', async () => {
    for (const b of [
      '{"type": "UPDATE", ',
      '\xff',
      '[]',
      '{}',
      JSON.stringify({ type: 'TRUNCATE', table: 'practices', schema: 'public', record: null, old_record: null }),
      JSON.stringify({ type: 'UPDATE', table: 'practices', schema: 'public', record: null, old_record: null }),
      JSON.stringify({ type: 'UPDATE', table: 'practices', schema: 'public', record: [], old_record: null }),
      JSON.stringify({ type: 'UPDATE', table: 7, schema: 'public', record: {}, old_record: null }),
    ]) {
      await refusedWithoutChange(400, async () => post(b, await signed(b)));
    }
    const bytes = new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]);
    await refusedWithoutChange(400, async () => post(bytes, await signedBytes(bytes)));
  });

  it('signed, with a webhook-id we cannot record: 400', async () => {
    const b = body();
    await refusedWithoutChange(400, async () => post(b, await signed(b, { id: 'x'.repeat(201) })));
    await refusedWithoutChange(400, async () => post(b, await signed(b, { id: 'has space' })));
  });

  it('larger than the limit, by its declared length or as streamed: 413 before verifying', async () => {
    const big = change('UPDATE', 'practices', { ...practiceRow('old-mill', '2012-12-31'), padding: 'x'.repeat(70 * 1024) }, null);
    await refusedWithoutChange(413, async () => post(big, await signed(big)));
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < 80; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1024)));
          c.close();
        },
      });
    await refusedWithoutChange(413, async () => post(stream(), await signed(big)));
  });

  it('a bad request leaves the delivery free to succeed when sent properly', async () => {
    const b = body();
    await opened.owner.query("update public.practices set contract_end = '2012-12-31' where slug = 'old-mill'");
    const res = await deliver(b);
    expect(await res.json()).toEqual({ outcome: 'applied' });
    expect((await practice('old-mill')).retain_until).toBe('2018-12-31');
  });
});

const signedBytes = async (bytes: Uint8Array): Promise<Signed> => {
  const id = newId();
  const timestamp = Math.floor(clock.getTime() / 1000);
  return { id, timestamp, signature: await signWebhook(await key, id, timestamp, bytes) };
};

describe('flagging practices past their retention date', () => {
  it('flags each once, only after the retention date has passed', async () => {
    // old-mill is kept until 2018-12-31, riverside until 2033-03-31 and fellside until 2034-02-28.
    expect(await flagDueForDeletion(opened.db, new Date('2018-12-31T23:30:00Z'))).toEqual([]);
    const at = new Date('2019-01-01T00:00:00Z');
    expect(await flagDueForDeletion(opened.db, at)).toEqual([ids['old-mill']]);
    expect(await practice('old-mill')).toEqual({ retain_until: '2018-12-31', flagged: expect.stringMatching(/^2019-01-01 00:00:00/) });
    const before = await snapshot();
    expect(await flagDueForDeletion(opened.db, demoNow)).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect(await flagDueForDeletion(opened.db, new Date('2033-04-01T12:00:00Z'))).toEqual([ids.riverside]);
  });
});

describe('who may set the retention columns', () => {
  it('only the service role: platform admins change practices but not these; members read them', async () => {
    const admin = randomUUID();
    await opened.owner.query("insert into public.platform_admins (user_id, email) values ($1, 'admin@example.nhs.uk')", [admin]);
    const claims = { sub: admin, role: 'authenticated' };
    const attempt = (sql: string) =>
      opened.db.asCaller(claims, (q) => q.query(sql, [ids.fellside])).then(
        (rows) => `rows:${rows.length}`,
        (e: { code?: string }) => `error:${e.code}`,
      );
    expect(await attempt("update public.practices set retain_until = '2099-01-01' where id = $1 returning id")).toBe('error:42501');
    expect(await attempt('update public.practices set flagged_for_deletion_at = now() where id = $1 returning id')).toBe('error:42501');
    expect(await attempt("update public.practices set name = 'Fellside Surgery' where id = $1 returning id")).toBe('rows:1');
    const member = await opened.owner.query<{ user_id: string }>('select user_id from public.members where id = $1', [ids.member]);
    const seen = await opened.db.asCaller({ sub: member[0]!.user_id, role: 'authenticated' }, (q) =>
      q.query<{ retain_until: string }>('select retain_until::text from public.practices'),
    );
    expect(seen).toEqual([{ retain_until: '2033-03-31' }]);
  });
});
