// The CMS benchmark's content and people: throwaway copies of the Riverside demo on `main` (one
// whose pages folder is topped up to a large collection), the members who sign in, their tokens,
// and a portal API with the CMS gateway over a repository, wired as `pd start` wires it.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as fs from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OpenedDatabase } from '../build/db/open-database.ts';
import { fsReader } from '../build/node/fs-reader.ts';
import { withCheckoutSync } from '../build/serve/checkout-sync.ts';
import type { Identity } from '../lib/auth/identity.ts';
import { createVerifier } from '../lib/auth/verify-jwt.ts';
import { cmsGateway, type CmsGateway, type PublishedEvent } from '../lib/cms/gateway.ts';
import { loadPractice } from '../lib/content/load-practice.ts';
import { createLocalGitStore } from '../lib/git-store/local.ts';
import type { GitStore } from '../lib/git-store/types.ts';
import { membersService } from '../lib/members/members.ts';
import { portalApp } from '../lib/portal/app.ts';
import { contentRepo, type ContentRepo } from '../test/support/content-repo.ts';

export const practice = 'riverside';
export const pagesFolder = `content/practices/${practice}/pages`;

export interface PageRepo extends ContentRepo {
  /** Every entry of the pages folder, sorted. */
  paths: string[];
  /** The generated entries only, in order. */
  generated: string[];
}

/**
 * The Riverside demo alone, with its pages folder topped up to `pages` entries (the demo's own
 * pages plus numbered copies of the appointments page without its navigation and task), committed
 * on `main` with the git binary and checked with the same rules as `pd validate`.
 */
export async function pageRepo(pages: number): Promise<PageRepo> {
  const repo = await contentRepo([practice]);
  const dir = path.join(repo.dir, pagesFolder);
  const own = (await readdir(dir)).filter((n) => n.endsWith('.md'));
  const template = await readFile(path.join(dir, 'appointments.md'), 'utf8');
  const generated: string[] = [];
  for (let i = 1; own.length + generated.length < pages; i++) {
    const name = `bench-page-${String(i).padStart(4, '0')}.md`;
    await writeFile(path.join(dir, name), generatedPage(template, i));
    generated.push(`${pagesFolder}/${name}`);
  }
  if (generated.length) {
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', `Add ${generated.length} generated pages`);
  }
  const { problems } = await loadPractice(fsReader(repo.dir), practice);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`the generated practice does not validate: ${errors.slice(0, 3).map((p) => `${p.file}: ${p.message}`).join('; ')}`);
  const paths = [...own.map((n) => `${pagesFolder}/${n}`), ...generated].sort();
  return { ...repo, paths, generated };
}

/** A page with the appointments page's front matter (title, summary, clinical, review dates) and body. */
function generatedPage(template: string, i: number): string {
  const end = template.indexOf('\n---', 4);
  const front = template
    .slice(0, end)
    .replace(/^title: .*$/m, `title: Information page ${i}`)
    .replace(/^summary: .*$/m, `summary: Generated page ${i} of the CMS benchmark's collection.`)
    .replace(/^task:.*\n/m, '')
    .replace(/^nav:\n(?:[ \t]+.*\n?)*/m, '');
  return front.replace(/\n*$/, '') + template.slice(end);
}

export const slugOf = (file: string) => path.posix.basename(file, '.md');
export const withTitle = (raw: string, title: string) => raw.replace(/^title: .*$/m, `title: ${title}`);
/** The page with a paragraph added straight after its front matter. */
export const withParagraph = (raw: string, text: string) => raw.replace(/\n---\n/, `\n---\n${text}\n\n`);

// People: one practice manager and `editors` editors of the practice, each with a signed token.
const issuer = 'http://127.0.0.1:54321/auth/v1';
const sub = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export interface Person {
  name: string;
  email: string;
  token: string;
  identity: Identity;
}

export interface People {
  manager: Person;
  editors: Person[];
  verifier: ReturnType<typeof createVerifier>;
}

export async function seedPeople(opened: OpenedDatabase, editors: number): Promise<People> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const verifier = createVerifier({ issuer, jwks: { keys: { keys: [jwk] } } });
  const list = [
    { n: 1, role: 'practice_manager', name: 'Maya Manager', email: `manager@${practice}.example.nhs.uk` },
    ...Array.from({ length: editors }, (_, i) => ({ n: i + 2, role: 'editor', name: `Editor ${i + 1}`, email: `editor${i + 1}@${practice}.example.nhs.uk` })),
  ];
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start, status) values
      ('${practice}', 'Z99901', 'Riverside Medical Practice', 'england', '2026-01-01', 'active');
    insert into public.members (practice_id, user_id, email, name, role) values
      ${list.map((p) => `((select id from public.practices where slug = '${practice}'), '${sub(p.n)}', '${p.email}', '${p.name}', '${p.role}')`).join(',\n      ')};
  `);
  const people = await Promise.all(
    list.map(async (p) => {
      const token = await new SignJWT({ role: 'authenticated', aal: 'aal1', email: p.email, session_id: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience('authenticated')
        .setSubject(sub(p.n))
        .setIssuedAt()
        .setExpirationTime('4h')
        .sign(privateKey);
      return { name: p.name, email: p.email, token, identity: await verifier.verify(token) };
    }),
  );
  return { manager: people[0]!, editors: people.slice(1), verifier };
}

export interface Portal {
  /** The gateway itself, for calls without HTTP and token verification. */
  gateway: CmsGateway;
  store: GitStore;
  /** One `POST /api/cms` through the portal API, as the CMS in the browser sends it; the body is read in full. */
  cms(who: Person, action: string, params?: Record<string, unknown>): Promise<{ status: number; text: string; ms: number }>;
}

export interface PortalOptions {
  onPublished?: (event: PublishedEvent) => void;
  /** Times every git store call the gateway makes, by method. */
  storeTimes?: StoreTimes;
}

/** The portal API with the CMS gateway over the repository in `dir`, as `pd start` builds it (checkout sync included). */
export function portalOver(opened: OpenedDatabase, people: People, dir: string, o: PortalOptions = {}): Portal {
  const members = membersService(opened.db);
  const synced = withCheckoutSync(createLocalGitStore({ fs, dir }), { dir, log: (m) => console.error(`  (checkout sync) ${m}`) });
  const store = o.storeTimes ? timed(synced, o.storeTimes) : synced;
  const onPublished = o.onPublished;
  const gateway = cmsGateway({ store, memberOf: (identity, p) => members.memberOf(identity.claims, p), ...(onPublished ? { onPublished } : {}) });
  const app = portalApp({ verifier: people.verifier, members, mailer: { send: async () => ({ id: '1' }) }, portalUrl: 'http://portal.localhost:8787', cms: gateway });
  return {
    gateway,
    store,
    async cms(who, action, params = {}) {
      const started = performance.now();
      const res = await app.request('/api/cms', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token}` },
        body: JSON.stringify({ practice, action, params: { branch: 'main', ...params } }),
      });
      const text = await res.text();
      return { status: res.status, text, ms: performance.now() - started };
    },
  };
}

/** The parameters Decap sends to save a draft of an existing page, edited from `version`. */
export function draftSave(file: string, raw: string, version: string): Record<string, unknown> {
  return {
    dataFiles: [{ path: file, slug: slugOf(file), raw }],
    assets: [],
    options: { collectionName: 'pages', useWorkflow: true, status: 'draft', newEntry: false },
    versions: { [file]: version },
  };
}

/** Milliseconds spent in each git store method, and how many calls, since the last reset. */
export class StoreTimes {
  ms = new Map<string, number>();
  calls = new Map<string, number>();
  reset(): void {
    this.ms.clear();
    this.calls.clear();
  }
}

function timed(store: GitStore, times: StoreTimes): GitStore {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(store) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        times.ms.set(name, (times.ms.get(name) ?? 0) + performance.now() - started);
        times.calls.set(name, (times.calls.get(name) ?? 0) + 1);
      }
    };
  }
  return wrapped as unknown as GitStore;
}
