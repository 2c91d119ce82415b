// The chatbot's Pages Function (functions/api/chat.ts) on Cloudflare's own runtime: `wrangler pages
// dev` (workerd, offline) serving a built revision with this repository's functions/ folder, which
// wrangler bundles with esbuild exactly as a deploy does.
import { cp, realpath } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo, startDemo, type DemoSite } from './support/demo-site.ts';
import { startPagesDev, type PagesDev } from './support/pages-dev.ts';

let demo: DemoSite;
let pages: PagesDev;
let origin: string;
const output = () => pages.output();

beforeAll(async () => {
  demo = await startDemo({ practices: ['riverside'] });
  const site = path.join(demo.tmp, 'site');
  await cp(await realpath((await demo.store.liveFolder('riverside'))!), site, { recursive: true });
  pages = await startPagesDev({ tmp: demo.tmp, site, functions: path.join(repo, 'functions') });
  origin = pages.origin;
}, 120_000);

afterAll(async () => {
  await pages?.stop();
  await demo?.close();
});

const ask = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  fetch(`${origin}/api/chat`, { method: 'POST', body, headers });

interface Reply {
  kind: string;
  text: string;
  citations: { title: string; url: string }[];
  links: { label: string; href: string }[];
}

function expectSecurityHeaders(r: Response) {
  const pageHeaders = {
    'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
    'x-frame-options': 'SAMEORIGIN',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-store',
  };
  for (const [k, v] of Object.entries(pageHeaders)) expect(r.headers.get(k), k).toBe(v);
  expect(r.headers.get('content-security-policy')).toMatch(/^default-src 'none'; frame-ancestors 'none'/);
  expect(r.headers.get('permissions-policy')).toContain('microphone=()');
  expect(r.headers.get('set-cookie')).toBeNull();
}

describe('POST /api/chat on the Pages runtime', () => {
  it('answers a red-flag message with the 999 reply', async () => {
    const r = await ask(JSON.stringify({ message: "I've got crushing chest pain" }));
    expect(r.status, output().slice(-2000)).toBe(200);
    expectSecurityHeaders(r);
    const reply = (await r.json()) as Reply;
    expect(reply.kind).toBe('red-flag');
    expect(reply.text).toContain('999');
  });

  it('answers an admin question from the practice pages, with a link', async () => {
    const r = await ask(JSON.stringify({ message: 'when are you open on Saturday?' }));
    expect(r.status).toBe(200);
    expectSecurityHeaders(r);
    const reply = (await r.json()) as Reply;
    expect(reply.kind).toBe('answer');
    expect([...reply.citations.map((c) => c.url), ...reply.links.map((l) => l.href)].length).toBeGreaterThan(0);
    for (const c of reply.citations) expect(c.url).toMatch(/^\//);
  });

  it('refuses bad requests with the same headers', async () => {
    const notJson = await ask('{"message":');
    expect(notJson.status).toBe(400);
    expectSecurityHeaders(notJson);
    const empty = await ask(JSON.stringify({ message: '   ' }));
    expect(empty.status).toBe(400);
    const form = await ask('message=hello', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expectSecurityHeaders(form);
    const huge = await ask(JSON.stringify({ message: 'a'.repeat(5000) }));
    expect(huge.status).toBe(413);
    expectSecurityHeaders(huge);
    const get = await fetch(`${origin}/api/chat`);
    expect(get.status).toBe(405);
    expectSecurityHeaders(get);
  });

  it('leaves the static pages to Pages, with their own headers', async () => {
    const page = await fetch(`${origin}/contact/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
