// `pd portal build|deploy`: the portal built for a Supabase project, then handed to wrangler with
// the portal's own Functions (a stand-in wrangler records exactly what it was given). A service
// role key is refused before anything is built: it must never reach a browser.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { portal } from '../build/cli/commands/portal.ts';
import { fakeCloudflare, type FakeCloudflare } from './support/fake-wrangler.ts';

let tmp: string;
let cf: FakeCloudflare;
const jwt = (role: string) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ role, iss: 'supabase' })).toString('base64url')}.c2lnbmF0dXJl`;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-portal-deploy-'));
  cf = await fakeCloudflare(['pd-portal']);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await cf?.close();
  await rm(tmp, { recursive: true, force: true });
});

async function pdPortal(args: string[], env: Record<string, string> = {}) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
  vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  const code = await portal.run(args);
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pd portal', () => {
  it("builds the pages with the project's address and anon key in /portal-config.json", async () => {
    const out = path.join(tmp, 'built');
    const r = await pdPortal(['build', '--supabase-url', 'https://abcd.supabase.co/', '--anon-key', jwt('anon'), '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(await readFile(path.join(out, 'portal-config.json'), 'utf8'))).toEqual({ authUrl: 'https://abcd.supabase.co', anonKey: jwt('anon') });
    for (const page of ['dashboard/index.html', 'account/index.html', 'members/index.html', '_headers']) expect(await readFile(path.join(out, page), 'utf8')).not.toBe('');
  }, 120_000);

  it('deploys them with the portal API and hooks as its Functions', async () => {
    const out = path.join(tmp, 'deployed');
    const r = await pdPortal(['deploy', '--supabase-url', 'https://abcd.supabase.co', '--anon-key', jwt('anon'), '--out', out], cf.env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Deployed the portal \(commit [0-9a-f]{7}\) to pd-portal\.$/);
    const [call] = await cf.calls();
    expect(call!.args.slice(0, 6)).toEqual(['pages', 'deploy', out, '--project-name', 'pd-portal', '--branch']);
    expect(call!.functions).toEqual(expect.arrayContaining(['api/[[path]].ts', 'api/hooks/auth-email.ts', 'api/webhooks/gocardless.ts', 'api/webhooks/db.ts']));
    expect(call).toMatchObject({ metrics: 'false', hasToken: true, hasAccount: true });
  }, 120_000);

  it('refuses the service role key, a plain-http address, and a deploy without the Cloudflare secrets', async () => {
    expect(await pdPortal(['build', '--supabase-url', 'https://abcd.supabase.co', '--anon-key', jwt('service_role')])).toMatchObject({ code: 2, err: expect.stringContaining('that key is the service role key') });
    expect(await pdPortal(['build', '--supabase-url', 'http://abcd.supabase.co', '--anon-key', jwt('anon')])).toMatchObject({ code: 2, err: expect.stringContaining("must be the Supabase project's https address") });
    const none = await pdPortal(['deploy', '--supabase-url', 'https://abcd.supabase.co', '--anon-key', jwt('anon'), '--out', path.join(tmp, 'x')], { CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_ACCOUNT_ID: '', PD_WRANGLER: cf.wrangler });
    expect(none.code).toBe(1);
    expect(none.err).toContain('CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID are not set');
  }, 120_000);
});
