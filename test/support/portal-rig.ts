// What the browser tests of the portal share: the local server with the portal on its own origin
// (as `npm start` runs it, in a scratch folder), headless Chromium with the flags this platform
// needs (./chromium.ts), the sign-in code from the outbox, and axe-core's WCAG 2.2 A/AA check.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';
import { loadSettings, type Settings } from '../../build/node/settings.ts';
import { revisionStore } from '../../build/publish/revision-store.ts';
import { startDevServer, type DevServer } from '../../build/serve/dev-server.ts';
import { startLocalPortal, type LocalPortal, type LocalPortalOptions } from '../../build/serve/local-portal.ts';
import { extractCode } from '../../lib/email/eml.ts';
import { newestMessageTo } from '../../lib/email/outbox-node.ts';
import { repo } from './demo-site.ts';

export interface PortalRig {
  tmp: string;
  settings: Settings;
  server: DevServer;
  portal: LocalPortal;
  /** The portal's own origin on the local server. */
  origin: string;
  close(): Promise<void>;
}

/** The portal on the local server, with its database, outbox and state in a scratch folder. */
export async function startPortalRig(o: { name: string; contentRoot?: string; portal?: Omit<LocalPortalOptions, 'portalDir'> }): Promise<PortalRig> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), `pd-${o.name}-`));
  let portal: LocalPortal | undefined;
  const server = await startDevServer({
    store: revisionStore(path.join(tmp, 'store')),
    host: '127.0.0.1',
    port: 0,
    practices: () => [],
    apps: { portal: (req, res) => (portal ? portal.listener(req, res) : res.writeHead(503).end('Starting\n')) },
  });
  const settings = loadSettings(repo, {
    PD_PORT: String(server.port),
    ...(o.contentRoot ? { PD_CONTENT_ROOT: o.contentRoot } : {}),
    PD_STORE_DIR: path.join(tmp, 'store'),
    PD_DIST_DIR: path.join(tmp, 'dist'),
    PD_DATABASE_DIR: path.join(tmp, 'db'),
    PD_OUTBOX_DIR: path.join(tmp, 'outbox'),
  });
  portal = await startLocalPortal(repo, settings, 0, { portalDir: path.join(tmp, 'portal'), log: () => {}, ...o.portal });
  const running = portal;
  return {
    tmp,
    settings,
    server,
    portal: running,
    origin: server.origin('portal'),
    async close() {
      await running.close();
      await server.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

export { launchChromium } from './chromium.ts';

/** A supabase-js client that keeps nothing between calls, for seeding people. */
export const quietClient = (portal: LocalPortal): SupabaseClient =>
  createClient(portal.authUrl, portal.anonKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });

/** The 6-digit code in the newest sign-in email to `email` that is not `since` (a file name). */
export async function signInCode(outboxDir: string, email: string, since?: string): Promise<string> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const m = await newestMessageTo(outboxDir, email);
    if (m && m.file !== since && m.subject === 'Your sign-in code for Practice Digital') {
      const code = extractCode(m.text ?? '');
      if (code) return code;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no new sign-in code for ${email} in the outbox`);
}

/** Fills in the sign-in steps as a person does: the email address, "Send me a code", the code, "Sign in". */
export async function signInWithEmail(page: Page, outboxDir: string, email: string): Promise<void> {
  const before = (await newestMessageTo(outboxDir, email))?.file;
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByLabel('Code from the email').fill(await signInCode(outboxDir, email, before));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** What axe-core defines on the page once its source has been evaluated there. */
declare const axe: { run(context: Document, options: RunOptions): Promise<AxeResults> };

let axeSource: string | undefined;
/** axe-core's WCAG 2.2 A/AA violations on the page (injected through DevTools, so the CSP stays in force). */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help}`);
  });
}
