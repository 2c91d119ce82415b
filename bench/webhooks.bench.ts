// GoCardless webhook throughput: signed deliveries of 20 events each, through the sub-app's
// `app.request` (size check, HMAC verify, JSON parse, one service-role transaction per event that
// records it and updates the practice's billing). The anchor, in the same run, is a bare Web
// Crypto HMAC-SHA256 of the same bodies. On the PostgreSQL at DATABASE_URL when set (its database
// name must contain "test": the run writes to it), else on in-memory PGlite.
// Run: node bench/webhooks.bench.ts   (DATABASE_URL=postgres://.../pd_bench_test for PostgreSQL)
import path from 'node:path';
import { openDatabase } from '../build/db/open-database.ts';
import { gocardlessWebhooks } from '../lib/webhooks/gocardless-app.ts';

const root = path.resolve(import.meta.dirname, '..');
const url = process.env.DATABASE_URL;
const deliveries = Number(process.env.DELIVERIES ?? 250);
const perDelivery = 20;
const practices = 50;
const secret = 'bench-gocardless-webhook-secret';

if (url && !/test/.test(new URL(url).pathname)) {
  console.error('DATABASE_URL must name a database whose name contains "test": the benchmark writes to it.');
  process.exit(1);
}
const kind = url ? 'PostgreSQL' : 'PGlite (in memory; set DATABASE_URL for PostgreSQL)';
console.log(`database: ${kind}`);
const opened = await openDatabase({ root, url });

const run = `${Date.now().toString(36).toUpperCase()}`;
const customer = (p: number) => `CUBENCH${run}${p}`;
await opened.owner.exec(`delete from public.processed_webhook_events where source = 'gocardless' and event_id like 'EVBENCH%'`);
for (let p = 0; p < practices; p++) {
  await opened.owner.query(
    `with p as (insert into public.practices (slug, ods_code, name, nation, contract_start, status)
       values ($1, $2, 'Bench Practice', 'england', '2026-01-01', 'active') returning id)
     insert into public.billing (practice_id, gocardless_customer_id, mandate_id, mandate_status) select id, $3, $4, 'active' from p`,
    [`bench-${run.toLowerCase()}-${p}`, `Z${String(p).padStart(5, '0')}`.slice(0, 6), customer(p), `MDBENCH${run}${p}`],
  );
}

// Payment events, spread over the practices; each delivery's events have ids of their own.
const bodies = (round: string) =>
  Array.from({ length: deliveries }, (_, d) =>
    JSON.stringify({
      events: Array.from({ length: perDelivery }, (_, e) => {
        const n = d * perDelivery + e;
        const p = n % practices;
        return {
          id: `EVBENCH${run}${round}${n}`,
          created_at: '2026-12-04T11:00:00.000Z',
          resource_type: 'payments',
          action: n % 7 === 0 ? 'failed' : 'confirmed',
          links: { payment: `PMBENCH${run}${n}`, subscription: `SBBENCH${run}${p}`, customer: customer(p) },
          details: { origin: 'gocardless', cause: 'payment_confirmed', description: 'A benchmark event.' },
        };
      }),
      meta: { webhook_id: `WBBENCH${d}` },
    }),
  );

const hmacKey = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const sign = async (body: string) => hex(await crypto.subtle.sign('HMAC', hmacKey, new TextEncoder().encode(body)));

const app = gocardlessWebhooks({ db: opened.db, secret });
const send = async (body: string, signature: string) => {
  const res = await app.request('/api/webhooks/gocardless', { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'Webhook-Signature': signature } });
  if (res.status !== 204) throw new Error(`expected 204, got ${res.status}`);
};

/** Events per second through the webhook, `inFlight` deliveries at a time. */
async function throughput(round: string, inFlight: number): Promise<number> {
  const batch = bodies(round);
  const signed = await Promise.all(batch.map(async (b) => [b, await sign(b)] as const));
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < signed.length) {
        const [b, s] = signed[next++]!;
        await send(b, s);
      }
    }),
  );
  return (deliveries * perDelivery) / ((performance.now() - t) / 1000);
}

/** Events per second for a bare HMAC-SHA256 of each delivery's body (the anchor). */
async function bareHmac(): Promise<number> {
  const batch = bodies('anchor');
  const t = performance.now();
  for (const b of batch) await sign(b);
  return (deliveries * perDelivery) / ((performance.now() - t) / 1000);
}

try {
  await throughput('warm', 1); // warm-up: plans, connections, JIT
  const anchor = Math.max(await bareHmac(), await bareHmac());
  const one = await throughput('seq', 1);
  const four = await throughput('par', 4);
  const recorded = await opened.owner.query<{ n: number }>(`select count(*)::int as n from public.processed_webhook_events where source = 'gocardless' and event_id like $1`, [`EVBENCH${run}%`]);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-GB').padStart(10);
  console.log(`${deliveries} deliveries × ${perDelivery} events per round; ${practices} practices`);
  console.log(`bare HMAC-SHA256 of the bodies (anchor)        ${fmt(anchor)} events/s`);
  console.log(`verified and recorded, one delivery at a time  ${fmt(one)} events/s   anchor/ours ${(anchor / one).toFixed(1)}×`);
  console.log(`verified and recorded, four at a time          ${fmt(four)} events/s   anchor/ours ${(anchor / four).toFixed(1)}×`);
  console.log(`target ≥ 1,000 events/s: ${Math.max(one, four) >= 1000 ? 'met' : 'missed'}; events recorded: ${recorded[0]!.n}`);
  console.log(`RESULT json: ${JSON.stringify({ database: url ? 'postgres' : 'pglite', anchorEventsPerSec: Math.round(anchor), sequentialEventsPerSec: Math.round(one), fourInFlightEventsPerSec: Math.round(four) })}`);
} finally {
  await opened.owner.exec(`
    delete from public.processed_webhook_events where source = 'gocardless' and event_id like 'EVBENCH${run}%';
    delete from public.practices where slug like 'bench-${run.toLowerCase()}-%';
  `);
  await opened.close();
}
