// The audit benchmark's repository: many practices and thousands of commits on `main`, written in
// one `git fast-import` stream (seconds, where committing one by one would take many minutes), in
// the shapes the CMS and developers leave: drafts merged with `Reviewed-by:` (or `Published-by:`),
// their saves, review status changes and notes on the draft branch; direct CMS commits (urgent
// notices, media, removals); and developer commits without trailers, some touching several
// practices or only code. A revision store beside it holds a revision of each practice every few
// changes, with manifests naming their commits and a live history, as `pd build` leaves them.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface AuditFixtureOptions {
  /** Gets repo/ (the repository) and store/ (the revision store). */
  dir: string;
  practices: number;
  /** Commits in all: on `main` and on the draft branches merged into it. */
  commits: number;
  /** Same seed, same repository. */
  seed?: number;
}

export interface AuditFixture {
  repo: string;
  storeDir: string;
  practices: string[];
  commits: number;
  /** Commits on `main`'s first-parent line. */
  mainCommits: number;
  merges: number;
  developerCommits: number;
  revisions: number;
}

export const practiceSlug = (i: number) => `practice-${String(i).padStart(3, '0')}`;

/** A small deterministic generator (mulberry32): the same seed gives the same history. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const platform = 'Practice Digital <cms@practicedigital.co.uk>';
const pagesPerPractice = 10;
const servicesPerPractice = 4;

interface Person {
  name: string;
  email: string;
  role: string;
}

function peopleOf(slug: string) {
  const at = `${slug}.example.nhs.uk`;
  return {
    editor: { name: `Ed Editor of ${slug}`, email: `editor@${at}`, role: 'editor' },
    reviewer: { name: `Dr Asha Reviewer of ${slug}`, email: `reviewer@${at}`, role: 'clinical_reviewer' },
    gp: { name: `Dr Ben GP of ${slug}`, email: `gp@${at}`, role: 'clinical_reviewer' },
    manager: { name: `Maya Manager of ${slug}`, email: `manager@${at}`, role: 'practice_manager' },
  } satisfies Record<string, Person>;
}
const developers = [
  { name: 'Dev One', email: 'dev.one@practicedigital.co.uk' },
  { name: 'Dev Two', email: 'dev.two@practicedigital.co.uk' },
];

const pageFile = (slug: string, n: number) => `content/practices/${slug}/pages/page-${String(n).padStart(2, '0')}.md`;
const serviceFile = (slug: string, n: number) => `content/practices/${slug}/services/service-${n}.md`;
const entryText = (title: string, clinical: boolean, version: number) =>
  `---\ntitle: ${title}\nsummary: ${title}, version ${version}.\nclinical: ${clinical}\nlast_reviewed: 2026-01-01\nreview_by: 2027-01-01\n---\n${title} says something new in version ${version}.\n\nA second paragraph that stays the same.\n`;

/** The fast-import stream, built as chunks: text and blob bodies. */
class Stream {
  readonly parts: Buffer[] = [];
  private mark = 0;
  write(text: string): void {
    this.parts.push(Buffer.from(text, 'utf8'));
  }
  data(body: string | Buffer): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.write(`data ${bytes.length}\n`);
    this.parts.push(bytes);
    this.write('\n');
  }
  blob(body: string | Buffer): number {
    const m = ++this.mark;
    this.write(`blob\nmark :${m}\n`);
    this.data(body);
    return m;
  }
  nextMark(): number {
    return ++this.mark;
  }
}

export async function makeAuditRepo(o: AuditFixtureOptions): Promise<AuditFixture> {
  const rnd = random(o.seed ?? 20261204);
  const repo = path.join(o.dir, 'repo');
  const storeDir = path.join(o.dir, 'store');
  await mkdir(repo, { recursive: true });
  await git(repo, ['init', '-q', '-b', 'main']);

  const slugs = Array.from({ length: o.practices }, (_, i) => practiceSlug(i + 1));
  const s = new Stream();
  let time = Date.UTC(2025, 0, 6, 9, 0, 0) / 1000;
  const tick = () => (time += 300 + rnd.int(3000));
  const sig = (p: { name: string; email: string }) => `${p.name} <${p.email}> ${time} +0000`;
  let commits = 0;
  let mainCommits = 0;
  let merges = 0;
  let developerCommits = 0;
  /** For each commit on main's first-parent line: its mark and the practices it changed. */
  const mainLine: { mark: number; practices: string[]; at: number }[] = [];
  const versions = new Map<string, number>();
  const bump = (file: string) => {
    const v = (versions.get(file) ?? 0) + 1;
    versions.set(file, v);
    return v;
  };
  const clinicalService = (n: number) => n <= 2;

  const commit = (ref: string, author: { name: string; email: string }, committer: string, message: string, from: number | undefined, lines: string[], merge?: number) => {
    const m = s.nextMark();
    tick();
    s.write(`commit ${ref}\nmark :${m}\nauthor ${sig(author)}\ncommitter ${committer} ${time} +0000\n`);
    s.data(message);
    if (from !== undefined) s.write(`from :${from}\n`);
    if (merge !== undefined) s.write(`merge :${merge}\n`);
    for (const l of lines) s.write(`${l}\n`);
    s.write('\n');
    commits++;
    return m;
  };
  const onMain = (m: number, practices: string[]) => {
    mainLine.push({ mark: m, practices, at: time });
    mainCommits++;
    return m;
  };
  const trailers = (t: Record<string, string>) => `\n\n${Object.entries(t).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;

  // The first commit: every practice with a profile, pages and services (two of them clinical).
  const initial: string[] = [];
  for (const slug of slugs) {
    initial.push(`M 100644 :${s.blob(`name: ${slug}\nods_code: Z10000\nnation: england\nclinical: false\n`)} content/practices/${slug}/practice.yml`);
    for (let n = 1; n <= pagesPerPractice; n++) initial.push(`M 100644 :${s.blob(entryText(`Page ${n}`, false, bump(pageFile(slug, n))))} ${pageFile(slug, n)}`);
    for (let n = 1; n <= servicesPerPractice; n++)
      initial.push(`M 100644 :${s.blob(entryText(`Service ${n}`, clinicalService(n), bump(serviceFile(slug, n))))} ${serviceFile(slug, n)}`);
  }
  initial.push(`M 100644 :${s.blob('# Content\n')} README.md`);
  let head = onMain(commit('refs/heads/main', developers[0]!, `${developers[0]!.name} <${developers[0]!.email}>`, 'Import the practices\n', undefined, initial), [...slugs]);
  developerCommits++;

  let notices = 0;
  while (commits < o.commits) {
    const r = rnd.next();
    const slug = rnd.pick(slugs);
    const people = peopleOf(slug);
    if (r < 0.5) {
      // A draft: saves, review status, perhaps a note, then published as a merge on main.
      const service = rnd.next() < 0.4;
      const n = service ? 1 + rnd.int(servicesPerPractice) : 1 + rnd.int(pagesPerPractice);
      const file = service ? serviceFile(slug, n) : pageFile(slug, n);
      const clinical = service && clinicalService(n);
      const collection = service ? 'services' : 'pages';
      const entry = `${collection}/${service ? `service-${n}` : `page-${String(n).padStart(2, '0')}`}`;
      const title = service ? `Service ${n}` : `Page ${n}`;
      const writer = rnd.next() < 0.7 ? people.editor : people.manager;
      const approver = clinical ? people.reviewer : rnd.pick([people.manager, people.reviewer, people.gp]);
      const selfPublished = !clinical && approver.email === writer.email;
      const draft = 'refs/heads/cms/draft';
      s.write(`reset ${draft}\nfrom :${head}\n\n`);
      let tip = head;
      const saves = 1 + rnd.int(3);
      for (let i = 0; i < saves; i++) {
        const blob = s.blob(entryText(title, clinical, bump(file)));
        const t = { Practice: slug, Role: writer.role, Entry: entry, 'Draft-action': 'save', ...(i === 0 ? { Status: 'draft' } : {}) };
        tip = commit(draft, writer, platform, `Save draft of "${title}"${trailers(t)}`, tip, [`M 100644 :${blob} ${file}`]);
      }
      tip = commit(draft, writer, platform, `Move "${title}" to in review${trailers({ Practice: slug, Role: writer.role, Entry: entry, 'Draft-action': 'status', Status: 'pending_review' })}`, tip, []);
      if (rnd.next() < 0.3) {
        const id = `note-${commits}`;
        tip = commit(draft, approver, platform, `Review note on "${entry.split('/')[1]}"\n\nPlease check the dates before this goes live.${trailers({ Practice: slug, Role: approver.role, Entry: entry, 'Draft-action': 'note', 'Note-id': id, 'Note-action': 'add' })}`, tip, []);
      }
      tip = commit(draft, approver, platform, `Move "${title}" to ready to publish${trailers({ Practice: slug, Role: approver.role, Entry: entry, 'Draft-action': 'status', Status: 'pending_publish' })}`, tip, []);
      const blob = s.blob(entryText(title, clinical, versions.get(file)!));
      const approval: Record<string, string> = selfPublished ? { 'Published-by': `${approver.name} <${approver.email}>` } : { 'Reviewed-by': `${approver.name} <${approver.email}>` };
      head = onMain(commit('refs/heads/main', writer, platform, `Publish "${title}"${trailers({ Practice: slug, Role: writer.role, Entry: entry, ...approval })}`, head, [`M 100644 :${blob} ${file}`], tip), [slug]);
      merges++;
    } else if (r < 0.8) {
      // Straight to main through the CMS: an urgent notice, a media upload, or a removal.
      const kind = rnd.next();
      if (kind < 0.5) {
        const name = `notice-${++notices}`;
        const file = `content/practices/${slug}/notices/${name}.md`;
        const blob = s.blob(`---\ntitle: Notice ${notices}\nseverity: urgent\nclinical: false\n---\nThe phones are down this morning.\n`);
        head = onMain(commit('refs/heads/main', people.manager, platform, `Post urgent notice "Notice ${notices}"${trailers({ Practice: slug, Role: 'practice_manager', Entry: `notices/${name}` })}`, head, [`M 100644 :${blob} ${file}`]), [slug]);
      } else if (kind < 0.8) {
        const name = `photo-${commits}.png`;
        const blob = s.blob(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`${commits}`)]));
        head = onMain(commit('refs/heads/main', people.editor, platform, `Upload ${name}${trailers({ Practice: slug, Role: 'editor', Entry: `media/${name}` })}`, head, [`M 100644 :${blob} content/practices/${slug}/media/${name}`]), [slug]);
      } else {
        const n = 1 + rnd.int(pagesPerPractice);
        const file = pageFile(slug, n);
        const blob = s.blob(entryText(`Page ${n}`, false, bump(file)));
        head = onMain(commit('refs/heads/main', people.manager, platform, `Publish "Page ${n}"${trailers({ Practice: slug, Role: 'practice_manager', Entry: `pages/page-${String(n).padStart(2, '0')}` })}`, head, [`M 100644 :${blob} ${file}`]), [slug]);
      }
    } else {
      // A developer: a fix across a few practices, or code only; no trailers.
      const dev = rnd.pick(developers);
      const touched = rnd.next() < 0.7 ? [...new Set(Array.from({ length: 1 + rnd.int(3) }, () => rnd.pick(slugs)))] : [];
      const lines: string[] = [];
      for (const p of touched) {
        const n = 1 + rnd.int(pagesPerPractice);
        lines.push(`M 100644 :${s.blob(entryText(`Page ${n}`, false, bump(pageFile(p, n))))} ${pageFile(p, n)}`);
      }
      lines.push(`M 100644 :${s.blob(`export const version = ${commits};\n`)} lib/version-${rnd.int(5)}.ts`);
      head = onMain(commit('refs/heads/main', dev, `${dev.name} <${dev.email}>`, touched.length ? `Fix a typo in ${touched.length} practice${touched.length === 1 ? '' : 's'}\n` : 'Tidy the build code\n', head, lines), touched);
      developerCommits++;
    }
  }

  const marksFile = path.join(o.dir, 'marks');
  await git(repo, ['fast-import', '--quiet', `--export-marks=${marksFile}`], Buffer.concat(s.parts));
  await git(repo, ['update-ref', '-d', 'refs/heads/cms/draft']);
  const oids = new Map<number, string>();
  for (const line of (await readFile(marksFile, 'utf8')).split('\n')) {
    const m = /^:(\d+) ([0-9a-f]{40})$/.exec(line);
    if (m) oids.set(Number(m[1]), m[2]!);
  }
  const revisions = await writeRevisions(storeDir, slugs, mainLine.map((c) => ({ ...c, oid: oids.get(c.mark)! })), rnd);
  return { repo, storeDir, practices: slugs, commits, mainCommits, merges, developerCommits, revisions };
}

/** A revision of each practice after every few of its changes: a tiny folder, its manifest, and the live history. */
async function writeRevisions(storeDir: string, slugs: string[], line: { oid: string; practices: string[]; at: number }[], rnd: ReturnType<typeof random>): Promise<number> {
  let count = 0;
  for (const slug of slugs) {
    const dir = path.join(storeDir, slug, 'revisions');
    await mkdir(dir, { recursive: true });
    const changes = line.filter((c) => c.practices.includes(slug));
    const history: string[] = [];
    let last = '';
    for (let i = 0; i < changes.length; i++) {
      if (i % 3 !== 2 && i !== changes.length - 1) continue;
      const c = changes[i]!;
      const builtAt = new Date((c.at + 120) * 1000).toISOString();
      const files: Record<string, string> = {};
      const body = { 'index.html': `<!doctype html><title>${slug}</title><p>${c.oid}</p>\n`, _headers: '/*\n  X-Content-Type-Options: nosniff\n' };
      for (const [name, text] of Object.entries(body)) files[name] = createHash('sha256').update(text).digest('hex');
      const all = createHash('sha256');
      for (const name of Object.keys(files).sort()) all.update(`${files[name]}  ${name}\n`);
      const contentHash = all.digest('hex');
      const revision = `${builtAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${contentHash.slice(0, 10)}`;
      await mkdir(path.join(dir, revision));
      for (const [name, text] of Object.entries(body)) await writeFile(path.join(dir, revision, name), text);
      await writeFile(path.join(dir, `${revision}.json`), JSON.stringify({ practice: slug, revision, commit: c.oid, dirty: false, contentHash, builtAt, files }, null, 2) + '\n');
      history.push(JSON.stringify({ revision, at: builtAt, reason: 'publish' }));
      // Now and then a practice manager switches back to the previous revision for a while.
      if (last && rnd.next() < 0.05) history.push(JSON.stringify({ revision: last, at: new Date((c.at + 600) * 1000).toISOString(), reason: 'rollback' }));
      last = revision;
      count++;
    }
    await writeFile(path.join(storeDir, slug, 'live-history.jsonl'), history.map((h) => `${h}\n`).join(''));
    const liveRevision = JSON.parse(history.at(-1)!).revision as string;
    await symlink(path.join('revisions', liveRevision), path.join(storeDir, slug, 'live'));
  }
  return count;
}

function git(cwd: string, args: string[], input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    // A git that exits before reading its input (git init) closes the pipe: its exit code says
    // whether that was a failure, not the write.
    child.stdin.on('error', () => {});
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`git ${args[0]} failed (${code}): ${Buffer.concat(err).toString('utf8').slice(0, 500)}`))));
    child.stdin.end(input ?? '');
  });
}
