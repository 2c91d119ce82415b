// `POST /api/webhooks/gocardless`: GoCardless tells us about mandates, subscriptions and
// payments. The raw body's signature is checked before anything reads it as JSON; each event
// then updates the practice's billing exactly once (billing-events.ts). Runtime-neutral Hono.
// Request bodies are never logged: they name customers and their bank mandates.
import { Hono } from 'hono';
import type { Database } from '../db/database.ts';
import { withApiHeaders } from './api-headers.ts';
import { readRawBody } from './raw-body.ts';
import { applyEvent, readEvents } from './billing-events.ts';
import { gocardlessSignatureVerifier } from './gocardless-signature.ts';

export interface GoCardlessWebhookDeps {
  db: Database;
  /** The webhook endpoint's secret from the GoCardless dashboard. */
  secret: string;
  now?: () => Date;
  /** Largest body accepted; GoCardless batches at most a few hundred small events. */
  maxBodyBytes?: number;
}

export const defaultMaxBodyBytes = 256 * 1024;

// 498 is GoCardless's "invalid token": they stop treating the endpoint as merely failing.
type Status = 400 | 404 | 413 | 498 | 500;
const problem = (status: Status, error: string, message: string) =>
  new Response(JSON.stringify({ error, message }), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });

export function gocardlessWebhooks(deps: GoCardlessWebhookDeps): Hono {
  const verifier = gocardlessSignatureVerifier(deps.secret);
  const now = deps.now ?? (() => new Date());
  const max = deps.maxBodyBytes ?? defaultMaxBodyBytes;
  const app = new Hono();

  app.use('*', withApiHeaders);

  app.onError((e) => {
    // The cause goes to the log by name only; GoCardless retries a 5xx, and every event it
    // carries is idempotent, so nothing is lost.
    console.error(`gocardless webhook error: ${e.name}`);
    return problem(500, 'internal', 'the webhook could not be processed; it will be retried');
  });

  app.post('/api/webhooks/gocardless', async (c) => {
    const raw = await readRawBody(c, max);
    if (!raw) return problem(413, 'too-large', `the request body is larger than ${max} bytes`);
    // One message for every signature failure, so a caller cannot tell which check refused it.
    if (!(await verifier.verify(raw, c.req.header('webhook-signature')))) return problem(498, 'invalid-signature', 'the webhook signature is not valid');
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      return problem(400, 'invalid', 'the request body is not valid JSON');
    }
    const events = readEvents(body);
    if (!events) return problem(400, 'invalid', 'the request body must be {"events": [...]} with an id, resource_type and action for each event');
    const at = now();
    // In order, each in its own transaction: if one fails, those before it stay done and are
    // recognised as duplicates when GoCardless retries the delivery.
    for (const event of events) await applyEvent(deps.db, event, at);
    return new Response(null, { status: 204 });
  });

  app.notFound(() => problem(404, 'not-found', 'there is nothing here'));
  return app;
}
