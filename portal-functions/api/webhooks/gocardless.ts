// POST /api/webhooks/gocardless on the portal: GoCardless's mandate, subscription and payment
// events (lib/webhooks/gocardless-app.ts), recorded in Supabase's Postgres through Hyperdrive.
// The route carries no user token: the Webhook-Signature is its authentication.
import { gocardlessWebhooks } from '../../../lib/webhooks/gocardless-app.ts';
import { serveWithDatabase, type DatabaseEnv, type FunctionContext } from '../../../lib/webhooks/function-entry.ts';

interface Env extends DatabaseEnv {
  /** The endpoint's secret from the GoCardless dashboard. */
  GOCARDLESS_WEBHOOK_SECRET?: string;
}

export const onRequestPost = (context: FunctionContext<Env>): Promise<Response> =>
  serveWithDatabase(context, 'gocardless webhook', context.env.GOCARDLESS_WEBHOOK_SECRET, (db, secret) => gocardlessWebhooks({ db, secret }));
