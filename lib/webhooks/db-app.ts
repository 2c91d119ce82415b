// `POST /api/webhooks/db`: Supabase database webhooks tell us when rows change. Each delivery is
// `{ type, table, schema, record, old_record }`, signed with Standard Webhooks under the secret
// `DB_WEBHOOK_SECRET`; the signature is checked on the raw bytes before anything parses them, and
// each delivery (its `webhook-id`) is processed exactly once. Runtime-neutral Hono sub-app.
// Bodies are never logged: they carry whole rows, names and email addresses included.
import { Hono } from 'hono';
import type { Database, Queryable } from '../db/database.ts';
import { withApiHeaders } from './api-headers.ts';
import { readRawBody } from './raw-body.ts';
import { startRetentionClock } from './retention.ts';
import { importWebhookSecret, verifyWebhook, WebhookVerificationError } from './standard-webhooks.ts';

export interface DbWebhookDeps {
  db: Database;
  /** `DB_WEBHOOK_SECRET`: `whsec_<base64>` (or `v1,whsec_<base64>`). */
  secret: string;
  now?: () => Date;
  /** Largest body accepted; a row of ours with its old copy is a few kilobytes. */
  maxBodyBytes?: number;
}

export const dbWebhookPath = '/api/webhooks/db';
export const dbWebhookSecretName = 'DB_WEBHOOK_SECRET';
export const defaultMaxBodyBytes = 64 * 1024;
/** The `source` of these deliveries in `processed_webhook_events`. */
export const dbWebhookSource = 'supabase-db';

export type ChangeType = 'INSERT' | 'UPDATE' | 'DELETE';
export interface RowChange {
  type: ChangeType;
  table: string;
  schema: string;
  record: Record<string, unknown> | null;
  oldRecord: Record<string, unknown> | null;
}

export type DbEventOutcome = 'applied' | 'duplicate' | 'unknown-practice' | 'unknown-member' | 'ignored';

type Status = 400 | 401 | 404 | 413 | 500;
const problem = (status: Status, error: string, message: string) =>
  new Response(JSON.stringify({ error, message }), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });

const webhookIdPattern = /^[A-Za-z0-9_.:-]{1,200}$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const changeTypes = new Set<string>(['INSERT', 'UPDATE', 'DELETE']);
const isRow = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The change a delivery describes, or null if its shape is not a Supabase database webhook's. */
export function readChange(body: unknown): RowChange | null {
  if (!isRow(body)) return null;
  const { type, table, schema, record, old_record: oldRecord } = body;
  if (typeof type !== 'string' || !changeTypes.has(type)) return null;
  if (typeof table !== 'string' || typeof schema !== 'string' || !table || !schema) return null;
  if (record !== null && record !== undefined && !isRow(record)) return null;
  if (oldRecord !== null && oldRecord !== undefined && !isRow(oldRecord)) return null;
  if (type !== 'DELETE' && !isRow(record)) return null;
  return { type: type as ChangeType, table, schema, record: isRow(record) ? record : null, oldRecord: isRow(oldRecord) ? oldRecord : null };
}

type Action =
  | { kind: 'retention'; practiceId: string | null }
  | { kind: 'access-ended'; memberId: string | null; reason: 'revoked' | 'expired' }
  | { kind: 'none' };

/** What a change asks of us, decided from the payload alone (the database is then checked). */
function classify(change: RowChange, now: Date): { action: Action; eventType: string } {
  const { type, schema, table, record, oldRecord } = change;
  const base = `${schema}.${table}.${type.toLowerCase()}`.slice(0, 200);
  if (schema !== 'public' || type !== 'UPDATE' || !record) return { action: { kind: 'none' }, eventType: base };
  const id = typeof record.id === 'string' && uuidPattern.test(record.id) ? record.id : null;
  if (table === 'practices' && 'contract_end' in record && (!oldRecord || oldRecord.contract_end !== record.contract_end)) {
    return { action: { kind: 'retention', practiceId: id }, eventType: 'practices.contract_end' };
  }
  if (table === 'members') {
    if (record.revoked_at != null && oldRecord?.revoked_at == null) return { action: { kind: 'access-ended', memberId: id, reason: 'revoked' }, eventType: 'members.revoked' };
    const expires = typeof record.expires_at === 'string' ? Date.parse(record.expires_at) : NaN;
    if (!Number.isNaN(expires) && expires <= now.getTime()) return { action: { kind: 'access-ended', memberId: id, reason: 'expired' }, eventType: 'members.expired' };
  }
  return { action: { kind: 'none' }, eventType: base };
}

/** Records the delivery and applies it, in one service-role transaction. */
export function applyChange(db: Database, webhookId: string, change: RowChange, now: Date): Promise<DbEventOutcome> {
  const { action, eventType } = classify(change, now);
  return db.asService('database webhook: record a signed row change and start a practice retention clock it calls for', async (q) => {
    const recorded = await q.query(
      `insert into public.processed_webhook_events (source, event_id, event_type, processed_at) values ($1, $2, $3, $4)
       on conflict (source, event_id) do nothing returning id`,
      [dbWebhookSource, webhookId, eventType, now.toISOString()],
    );
    if (!recorded[0]) return 'duplicate';
    return act(q, action);
  });
}

async function act(q: Queryable, action: Action): Promise<DbEventOutcome> {
  switch (action.kind) {
    case 'none':
      return 'ignored';
    case 'retention':
      if (!action.practiceId) return 'unknown-practice';
      return (await startRetentionClock(q, action.practiceId)) ? 'applied' : 'unknown-practice';
    case 'access-ended': {
      // Nothing to end here: every request reads the membership afresh (RLS's private.role_of
      // counts only unrevoked, unexpired ones), so access ended when the row changed. Recording
      // the event is all; an id that is not one of ours is still acknowledged.
      if (!action.memberId) return 'unknown-member';
      const rows = await q.query('select 1 from public.members where id = $1', [action.memberId]);
      return rows.length === 1 ? 'applied' : 'unknown-member';
    }
  }
}

export function dbWebhooks(deps: DbWebhookDeps): Hono {
  if (!deps.secret?.trim()) throw new Error(`${dbWebhookSecretName} is not set: the database webhook cannot verify deliveries`);
  const now = deps.now ?? (() => new Date());
  const max = deps.maxBodyBytes ?? defaultMaxBodyBytes;
  // Imported once; a malformed secret fails the first request loudly rather than every one quietly.
  const key = importWebhookSecret(deps.secret);
  key.catch(() => {});
  const app = new Hono();

  app.use('*', withApiHeaders);

  app.onError((e) => {
    console.error(`database webhook error: ${e.name}`);
    return problem(500, 'internal', 'the webhook could not be processed');
  });

  app.post(dbWebhookPath, async (c) => {
    const raw = await readRawBody(c, max);
    if (!raw) return problem(413, 'too-large', `the request body is larger than ${max} bytes`);
    const id = c.req.header('webhook-id');
    try {
      await verifyWebhook(await key, { id, timestamp: c.req.header('webhook-timestamp'), signature: c.req.header('webhook-signature') }, raw, now());
    } catch (e) {
      if (!(e instanceof WebhookVerificationError)) throw e;
      // The reason goes to the log; the caller gets one answer for every failure.
      console.warn(`database webhook refused: ${e.reason}`);
      return problem(401, 'invalid-signature', 'the webhook signature is not valid');
    }
    if (!id || !webhookIdPattern.test(id)) return problem(400, 'invalid', 'the webhook-id header must be 1 to 200 letters, digits, or . _ : -');
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      return problem(400, 'invalid', 'the request body is not valid JSON');
    }
    const change = readChange(body);
    if (!change) return problem(400, 'invalid', 'the request body must be {"type": "INSERT"|"UPDATE"|"DELETE", "table", "schema", "record", "old_record"}');
    const outcome = await applyChange(deps.db, id, change, now());
    return c.json({ outcome }, 200);
  });

  app.notFound(() => problem(404, 'not-found', 'there is nothing here'));
  return app;
}
