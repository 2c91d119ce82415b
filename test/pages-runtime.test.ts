// The built site on Cloudflare's own Pages runtime (wrangler pages dev, workerd, offline): the
// `_headers` the build writes must have the same effect there as in the local server.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, repo, startDemo, type DemoSite } from './support/demo-site.ts';
import { stopWrangler } from './support/stop-wrangler.ts';

let demo: DemoSite;
let wrangler: ChildProcess;
let port: number;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

beforeAll(async () => {
  demo = await startDemo({ practices: ['riverside'] });
  port = await freePort();
  wrangler = spawn(process.execPath, ['build/cli/pd.ts', 'pages-dev', 'riverside', '--port', String(port)], {
    cwd: repo,
    env: { ...process.env, PD_STORE_DIR: demo.settings.storeDir },
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 120; i++) {
    if (await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('wrangler pages dev did not start within 60 s');
}, 90_000);

afterAll(async () => {
  await stopWrangler(wrangler);
  await demo?.close();
});

describe('on the Pages runtime', () => {
  it('serves the pages with the same headers as the local server', async () => {
    for (const p of ['/', '/appointments/', '/contact/', '/.well-known/security.txt']) {
      const real = await fetch(`http://127.0.0.1:${port}${p}`, { redirect: 'manual' });
      const local = await get(demo.server, 'riverside', p);
      expect(real.status, p).toBe(200);
      for (const h of [
        'strict-transport-security',
        'content-security-policy',
        'x-frame-options',
        'x-content-type-options',
        'referrer-policy',
        'permissions-policy',
        'cross-origin-resource-policy',
        'cross-origin-opener-policy',
        'access-control-allow-origin',
      ])
        expect(real.headers.get(h), `${p} ${h}`).toBe(local.headers[h]);
      expect(await real.text()).toBe(local.body);
    }
  });

  it('redirects and answers missing pages as the local server does', async () => {
    const redirect = await fetch(`http://127.0.0.1:${port}/appointments`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(new URL(redirect.headers.get('location')!, 'http://x').pathname).toBe('/appointments/');
    const missing = await fetch(`http://127.0.0.1:${port}/no-such-page/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe((await get(demo.server, 'riverside', '/no-such-page/')).body);
  });
});
