// POST /api/webhooks/db on the portal: Supabase database webhooks (lib/webhooks/db-app.ts), so a
// revoked member or an ended contract takes effect at once. Signed with Standard Webhooks.
import { dbWebhooks } from '../../../lib/webhooks/db-app.ts';
import { serveWithDatabase, type DatabaseEnv, type FunctionContext } from '../../../lib/webhooks/function-entry.ts';

interface Env extends DatabaseEnv {
  /** `whsec_<base64>`, the secret the database webhooks sign with. */
  DB_WEBHOOK_SECRET?: string;
}

export const onRequestPost = (context: FunctionContext<Env>): Promise<Response> =>
  serveWithDatabase(context, 'database webhook', context.env.DB_WEBHOOK_SECRET, (db, secret) => dbWebhooks({ db, secret }));
