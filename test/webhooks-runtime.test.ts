// The portal's GoCardless and database webhook Functions (portal-functions/api/webhooks/) on
// Cloudflare's own runtime: `wrangler pages dev` (workerd, offline) bundles them as a deploy does,
// and they reach a real Postgres (PGlite, served over the wire protocol on 127.0.0.1) through the
// `postgres` client's Workers sockets, as they reach Supabase through Hyperdrive in production.
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../build/db/open-database.ts';
import { apiHeaders } from '../lib/webhooks/api-headers.ts';
import { onRequestPost as dbFunction } from '../portal-functions/api/webhooks/db.ts';
import { onRequestPost as gocardlessFunction } from '../portal-functions/api/webhooks/gocardless.ts';
import { repo } from './support/demo-site.ts';
import { freePort, startPagesDev, type PagesDev } from './support/pages-dev.ts';

const gocardlessSecret = 'whsec-runtime-fake-0123456789';
const dbSecretBase64 = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
const dbSigner = new Webhook(`whsec_${dbSecretBase64}`);
const customer = 'CU000RIVER';

let tmp: string;
let opened: OpenedDatabase;
let socket: PGLiteSocketServer;
let pages: PagesDev;
let broken: PagesDev;
const ids: Record<string, string> = {};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'pd-webhooks-runtime-'));
  opened = await openDatabase({ root: repo });
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start, status) values
      ('riverside', 'Z99901', 'Riverside Medical Practice', 'england', '2026-01-01', 'active');
    insert into public.billing (practice_id, gocardless_customer_id) values
      ((select id from public.practices where slug = 'riverside'), '${customer}');
    insert into public.members (practice_id, user_id, email, role) values
      ((select id from public.practices where slug = 'riverside'), '${randomUUID()}', 'editor@example.nhs.uk', 'editor');
  `);
  ids.practice = (await opened.owner.query<{ id: string }>('select id from public.practices'))[0]!.id;
  ids.member = (await opened.owner.query<{ id: string }>('select id from public.members'))[0]!.id;
  const dbPort = await freePort();
  socket = new PGLiteSocketServer({ db: opened.pglite!, host: '127.0.0.1', port: dbPort, maxConnections: 8 });
  await socket.start();

  const site = path.join(tmp, 'site');
  await mkdir(site);
  await writeFile(path.join(site, 'index.html'), '<!doctype html><title>Portal</title>\n');
  const common = { site, functions: path.join(repo, 'portal-functions'), compatibilityFlags: ['nodejs_compat'] };
  pages = await startPagesDev({
    ...common,
    tmp: path.join(tmp, 'ok'),
    bindings: {
      GOCARDLESS_WEBHOOK_SECRET: gocardlessSecret,
      DB_WEBHOOK_SECRET: `v1,whsec_${dbSecretBase64}`,
      DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
    },
  });
  // The same Functions with a database that refuses connections: what an outage looks like.
  const closedPort = await freePort();
  broken = await startPagesDev({
    ...common,
    tmp: path.join(tmp, 'broken'),
    bindings: { GOCARDLESS_WEBHOOK_SECRET: gocardlessSecret, DATABASE_URL: `postgres://postgres:hunter2-not-real@127.0.0.1:${closedPort}/postgres` },
  });
}, 180_000);

afterAll(async () => {
  await pages?.stop();
  await broken?.stop();
  await socket?.stop();
  await opened?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}, 30_000);

const delivery = (id: string, resource_type: string, action: string, links: Record<string, string>) =>
  JSON.stringify({
    events: [{ id, created_at: new Date().toISOString(), resource_type, action, links, details: { origin: 'gocardless', cause: action } }],
    meta: { webhook_id: `WB${id}` },
  });
const gocardless = (origin: string, body: string, signature = createHmac('sha256', gocardlessSecret).update(body).digest('hex')) =>
  fetch(`${origin}/api/webhooks/gocardless`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'Webhook-Signature': signature } });

const billing = async () =>
  (await opened.owner.query<Record<string, unknown>>('select mandate_id, mandate_status, subscription_id, subscription_status, last_payment_id, last_payment_status from public.billing'))[0];
const eventCount = async () => Number((await opened.owner.query<{ n: number }>('select count(*)::int as n from public.processed_webhook_events'))[0]!.n);

function expectApiHeaders(r: Response) {
  for (const [name, value] of Object.entries(apiHeaders)) expect(r.headers.get(name), name).toBe(value);
  expect(r.headers.get('set-cookie')).toBeNull();
}

describe('POST /api/webhooks/gocardless on the Pages runtime', () => {
  it("moves the practice's billing from pending to active to failed with a signed fixture set, each event once", async () => {
    const steps: [string, string, string, Record<string, string>, Record<string, unknown>][] = [
      ['EV000RT1', 'mandates', 'created', { mandate: 'MD000RT1', customer }, { mandate_status: 'pending_submission' }],
      ['EV000RT2', 'mandates', 'submitted', { mandate: 'MD000RT1' }, { mandate_status: 'submitted' }],
      ['EV000RT3', 'mandates', 'active', { mandate: 'MD000RT1' }, { mandate_status: 'active' }],
      ['EV000RT4', 'subscriptions', 'created', { subscription: 'SB000RT1', mandate: 'MD000RT1' }, { subscription_status: 'active' }],
      ['EV000RT5', 'payments', 'confirmed', { payment: 'PM000RT1', subscription: 'SB000RT1' }, { last_payment_status: 'confirmed' }],
      ['EV000RT6', 'payments', 'failed', { payment: 'PM000RT2', subscription: 'SB000RT1' }, { last_payment_id: 'PM000RT2', last_payment_status: 'failed' }],
      ['EV000RT7', 'mandates', 'failed', { mandate: 'MD000RT1' }, { mandate_status: 'failed' }],
    ];
    for (const [id, type, action, links, expected] of steps) {
      const r = await gocardless(pages.origin, delivery(id, type, action, links));
      expect(r.status, `${type}.${action}: ${pages.output().slice(-1500)}`).toBe(204);
      expectApiHeaders(r);
      expect(await billing()).toMatchObject(expected);
    }
    expect(await eventCount()).toBe(steps.length);
    // A redelivery of the whole set changes nothing and records nothing new.
    const before = await billing();
    for (const [id, type, action, links] of steps) expect((await gocardless(pages.origin, delivery(id, type, action, links))).status).toBe(204);
    expect(await billing()).toEqual(before);
    expect(await eventCount()).toBe(steps.length);
  });

  it('answers 498 to a bad signature and records nothing', async () => {
    const before = await eventCount();
    const body = delivery('EV000RTBAD', 'mandates', 'cancelled', { mandate: 'MD000RT1' });
    const r = await gocardless(pages.origin, body, createHmac('sha256', 'another-secret').update(body).digest('hex'));
    expect(r.status).toBe(498);
    expectApiHeaders(r);
    expect(await r.json()).toEqual({ error: 'invalid-signature', message: 'the webhook signature is not valid' });
    expect(await eventCount()).toBe(before);
  });

  it('answers 500 without revealing anything when the database is down, so GoCardless retries', async () => {
    const r = await gocardless(broken.origin, delivery('EV000RTDOWN', 'mandates', 'cancelled', { mandate: 'MD000RT1' }));
    expect(r.status).toBe(500);
    expectApiHeaders(r);
    const text = await r.text();
    expect(JSON.parse(text)).toEqual({ error: 'internal', message: 'the webhook could not be processed; it will be retried' });
    expect(text).not.toMatch(/hunter2|127\.0\.0\.1|ECONNREFUSED|postgres/i);
    expect(broken.output()).not.toContain('hunter2');
  });
});

describe('POST /api/webhooks/db on the Pages runtime', () => {
  const send = (body: string, id: string) => {
    const at = new Date();
    return fetch(`${pages.origin}/api/webhooks/db`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': dbSigner.sign(id, at, body) },
    });
  };

  it("starts the retention clock when a practice's contract ends, once", async () => {
    await opened.owner.exec(`update public.practices set status = 'ended', contract_end = '2026-12-01' where id = '${ids.practice}'`);
    const body = JSON.stringify({
      type: 'UPDATE',
      table: 'practices',
      schema: 'public',
      record: { id: ids.practice, status: 'ended', contract_end: '2026-12-01' },
      old_record: { id: ids.practice, status: 'active', contract_end: null },
    });
    const r = await send(body, 'msg_runtime_contract');
    expect(r.status, pages.output().slice(-1500)).toBe(200);
    expectApiHeaders(r);
    expect(await r.json()).toEqual({ outcome: 'applied' });
    const [row] = await opened.owner.query<{ retain_until: string | Date | null }>('select retain_until from public.practices where id = $1', [ids.practice]);
    expect(String(row!.retain_until instanceof Date ? row!.retain_until.toISOString() : row!.retain_until)).toMatch(/^2032-12-01/);
    expect(await (await send(body, 'msg_runtime_contract')).json()).toEqual({ outcome: 'duplicate' });
  });

  it('refuses an unsigned delivery with 401', async () => {
    const r = await fetch(`${pages.origin}/api/webhooks/db`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(401);
    expectApiHeaders(r);
  });
});

describe('the webhook Functions without their settings', () => {
  it.each([
    ['gocardless', gocardlessFunction, { DATABASE_URL: 'postgres://postgres:hunter2-not-real@db.internal.example:5432/postgres' }],
    ['gocardless', gocardlessFunction, { GOCARDLESS_WEBHOOK_SECRET: gocardlessSecret }],
    ['db', dbFunction, { HYPERDRIVE: { connectionString: 'postgres://postgres:hunter2-not-real@db.internal.example:5432/postgres' } }],
  ] as const)('%s answers a generic 500 naming no setting and no value', async (name, fn, env) => {
    const waited: Promise<unknown>[] = [];
    const r = await fn({ request: new Request(`https://portal.example/api/webhooks/${name}`, { method: 'POST', body: '{}' }), env, waitUntil: (p) => void waited.push(p) });
    expect(r.status).toBe(500);
    expectApiHeaders(r);
    const text = await r.text();
    expect(JSON.parse(text)).toEqual({ error: 'not-configured', message: 'this webhook is not configured' });
    expect(text).not.toMatch(/hunter2|internal\.example|SECRET|DATABASE_URL|HYPERDRIVE/);
    expect(waited).toHaveLength(0);
  });
});
