// What a GoCardless event does to a practice's billing row. Each event is recorded in
// `processed_webhook_events` in the same transaction as its effect, so it takes effect exactly
// once however often GoCardless redelivers it, and a failure part-way leaves nothing behind.
import type { Database, Queryable } from '../db/database.ts';

export interface GoCardlessEvent {
  id: string;
  resourceType: string;
  action: string;
  /** GoCardless's `created_at`, when it is a valid time: orders payment events that arrive late. */
  createdAt?: string;
  links: { customer?: string; mandate?: string; subscription?: string; payment?: string };
}

export type EventOutcome = 'applied' | 'duplicate' | 'unknown-practice' | 'ignored';

const eventIdPattern = /^[A-Za-z0-9_-]{1,200}$/;
const wordPattern = /^[a-z_]{1,50}$/;
// The formats the billing table checks; a link in any other shape is not one of ours.
const idPatterns = { customer: /^CU[0-9A-Z]+$/, mandate: /^MD[0-9A-Z]+$/, subscription: /^SB[0-9A-Z]+$/, payment: /^PM[0-9A-Z]+$/ } as const;

/**
 * The events of a delivery, or null if its shape is wrong. Checked whole before any is applied,
 * so a malformed delivery changes nothing.
 */
export function readEvents(body: unknown): GoCardlessEvent[] | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const events = (body as { events?: unknown }).events;
  if (!Array.isArray(events)) return null;
  const out: GoCardlessEvent[] = [];
  for (const e of events as unknown[]) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return null;
    const { id, resource_type: resourceType, action, links, created_at: created } = e as Record<string, unknown>;
    if (typeof id !== 'string' || !eventIdPattern.test(id)) return null;
    if (typeof resourceType !== 'string' || typeof action !== 'string') return null;
    const linkObject = typeof links === 'object' && links !== null && !Array.isArray(links) ? (links as Record<string, unknown>) : {};
    const ours: GoCardlessEvent['links'] = {};
    for (const k of Object.keys(idPatterns) as (keyof typeof idPatterns)[]) {
      const v = linkObject[k];
      if (typeof v === 'string' && idPatterns[k].test(v)) ours[k] = v;
    }
    const createdMs = typeof created === 'string' ? Date.parse(created) : Number.NaN;
    out.push({ id, resourceType, action, links: ours, ...(Number.isFinite(createdMs) ? { createdAt: new Date(createdMs).toISOString() } : {}) });
  }
  return out;
}

// GoCardless's event actions and the resource status each leaves behind (their own words).
const mandateStatus: Record<string, string> = {
  created: 'pending_submission',
  submitted: 'submitted',
  active: 'active',
  reinstated: 'active',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
};
const subscriptionStatus: Record<string, string> = { created: 'active', cancelled: 'cancelled', finished: 'finished' };
const paymentStatus: Record<string, string> = { confirmed: 'confirmed', paid_out: 'paid_out', failed: 'failed', charged_back: 'charged_back' };

// A mandate that has ended stays ended (a redelivered, older `active` must not revive it); only
// GoCardless's `reinstated` brings a cancelled mandate back. Likewise for subscriptions.
const mandateEnded = new Set(['failed', 'cancelled', 'expired', 'consumed', 'blocked']);
const subscriptionEnded = new Set(['cancelled', 'finished']);

interface BillingRow {
  practice_id: string;
  mandate_id: string | null;
  mandate_status: string | null;
  subscription_id: string | null;
  subscription_status: string | null;
}

/** Records `event` and applies it, in one service-role transaction. */
export function applyEvent(db: Database, event: GoCardlessEvent, now: Date): Promise<EventOutcome> {
  return db.asService('gocardless webhook: record a signed GoCardless event and update the billing of the practice it concerns', async (q) => {
    const eventType = wordPattern.test(event.resourceType) && wordPattern.test(event.action) ? `${event.resourceType}.${event.action}` : null;
    const recorded = await q.query(
      `insert into public.processed_webhook_events (source, event_id, event_type, processed_at) values ('gocardless', $1, $2, $3)
       on conflict (source, event_id) do nothing returning id`,
      [event.id, eventType, now.toISOString()],
    );
    // Already recorded (a redelivery, or a concurrent one that committed first): nothing to do.
    if (!recorded[0]) return 'duplicate';
    const row = await billingOf(q, event.links);
    if (!row) return 'unknown-practice';
    return (await update(q, row, event, now)) ? 'applied' : 'ignored';
  });
}

async function billingOf(q: Queryable, l: GoCardlessEvent['links']): Promise<BillingRow | null> {
  if (!l.customer && !l.mandate && !l.subscription && !l.payment) return null;
  const rows = await q.query<BillingRow>(
    `select practice_id, mandate_id, mandate_status, subscription_id, subscription_status from public.billing
     where gocardless_customer_id = $1 or mandate_id = $2 or subscription_id = $3 or last_payment_id = $4
     for update`,
    [l.customer ?? null, l.mandate ?? null, l.subscription ?? null, l.payment ?? null],
  );
  // Links that point at two practices contradict each other: act on neither.
  return rows.length === 1 ? rows[0]! : null;
}

async function update(q: Queryable, row: BillingRow, e: GoCardlessEvent, now: Date): Promise<boolean> {
  const set = async (columns: string, values: unknown[]) => {
    await q.query(`update public.billing set ${columns}, updated_at = $1 where practice_id = $2`, [now.toISOString(), row.practice_id, ...values]);
    return true;
  };
  if (e.resourceType === 'mandates') {
    const status = mandateStatus[e.action];
    const id = e.links.mandate;
    if (!status || !id) return false;
    // A new mandate replaces the old; events about any other mandate no longer matter.
    const current = row.mandate_id === null || row.mandate_id === id;
    if (!current && e.action !== 'created') return false;
    if (current && row.mandate_status && mandateEnded.has(row.mandate_status) && e.action !== 'reinstated') return false;
    return set('mandate_id = $3, mandate_status = $4', [id, status]);
  }
  if (e.resourceType === 'subscriptions') {
    const status = subscriptionStatus[e.action];
    const id = e.links.subscription;
    if (!status || !id) return false;
    const current = row.subscription_id === null || row.subscription_id === id;
    if (!current && e.action !== 'created') return false;
    if (current && row.subscription_status && subscriptionEnded.has(row.subscription_status)) return false;
    return set('subscription_id = $3, subscription_status = $4', [id, status]);
  }
  if (e.resourceType === 'payments') {
    const status = paymentStatus[e.action];
    const id = e.links.payment;
    if (!status || !id) return false;
    // An event older than the payment event already applied (a late retry) changes nothing; one
    // without a time is taken as current.
    const applied = await q.query(
      `update public.billing set last_payment_id = $3, last_payment_status = $4, last_payment_event_at = coalesce($5, last_payment_event_at), updated_at = $1
       where practice_id = $2 and ($5::timestamptz is null or last_payment_event_at is null or last_payment_event_at <= $5::timestamptz)
       returning practice_id`,
      [now.toISOString(), row.practice_id, id, status, e.createdAt ?? null],
    );
    return applied.length === 1;
  }
  return false;
}
