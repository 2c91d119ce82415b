// CMS gateway benchmark (npm run bench:cms): listing a 1,000-entry collection, saving a draft, 50
// saves at once, and the time from publishing an edit to the changed page being served. Requests go
// through the portal API as the CMS in the browser sends them (`app.request`: token verification,
// the member's role from the embedded database, then the gateway over a real git repository); the
// gateway called directly (no HTTP, no token) is timed beside it. The anchors, measured in the same
// run, are plain isomorphic-git reads and commits of the same files (bench/cms-anchors.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../build/db/open-database.ts';
import { loadSettings } from '../build/node/settings.ts';
import { buildSites } from '../build/pipeline/build-sites.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { startDevServer } from '../build/serve/dev-server.ts';
import { rebuildQueue } from '../build/serve/rebuild-queue.ts';
import { contentRepo, type ContentRepo } from '../test/support/content-repo.ts';
import { get } from '../test/support/demo-site.ts';
import { plainCommit, plainRead } from './cms-anchors.ts';
import { draftSave, pageRepo, pagesFolder, portalOver, practice, seedPeople, slugOf, StoreTimes, withParagraph, withTitle, type People, type Portal } from './cms-fixture.ts';

const entries = 1000;
const warmups = 2;
const listRuns = 11;
const saves = 30;
const concurrent = 50;
const publishRuns = 5;
const targets = { listMs: 300, saveMs: 250, servedMs: 3000 };

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-bench-cms-'));
const log = (message: string) => console.error(`• ${message}`);
const repos: ContentRepo[] = [];
const cleanUp = () => Promise.all([rm(tmp, { recursive: true, force: true }), ...repos.map((r) => r.remove())]);
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

interface EntryFile {
  data: string;
  file: { path: string; id: string };
}

log('Opening the embedded database (PGlite) and adding the practice manager and 50 editors');
const opened = await openDatabase({ root });
try {
  const people = await seedPeople(opened, concurrent);
  const editor = people.editors[0]!;

  log(`Making a throwaway repository whose ${pagesFolder} holds ${entries} entries`);
  const big = await pageRepo(entries);
  repos.push(big);
  if (big.paths.length !== entries) throw new Error(`expected ${entries} entries, made ${big.paths.length}`);
  const mainHead = big.git('rev-parse', 'main');
  const storeTimes = new StoreTimes();
  const portal = portalOver(opened, people, big.dir, { storeTimes });

  // 1. Listing.
  log(`Listing: ${warmups} warm-up and ${listRuns} timed runs each of a plain read, the gateway direct and the gateway through HTTP, in turn`);
  const listParams = { folder: pagesFolder, extension: 'md', depth: 1 };
  const list = { anchor: [] as number[], direct: [] as number[], http: [] as number[] };
  let listing: EntryFile[] = [];
  for (let i = -warmups; i < listRuns; i++) {
    let [anchorMs, directMs] = [0, 0];
    let files: Awaited<ReturnType<typeof plainRead>> = [];
    let direct: EntryFile[] = [];
    let r = { status: 0, text: '', ms: 0 };
    await inTurn(i, [
      async () => void ([anchorMs, files] = await time(() => plainRead(big.dir, pagesFolder))),
      async () => void ([directMs, direct] = await time(() => portal.gateway.handle(editor.identity, { practice, action: 'entriesByFolder', params: listParams }) as Promise<EntryFile[]>)),
      async () => void (r = await portal.cms(editor, 'entriesByFolder', listParams)),
    ]);
    if (r.status !== 200) throw new Error(`entriesByFolder answered ${r.status}: ${r.text.slice(0, 200)}`);
    listing = JSON.parse(r.text) as EntryFile[];
    if (i === -warmups) assertSameListing(files, direct, listing);
    if (i < 0) continue;
    list.anchor.push(anchorMs);
    list.direct.push(directMs);
    list.http.push(r.ms);
    log(`  run ${i + 1}: plain ${ms(anchorMs)}, gateway ${ms(directMs)}, through HTTP ${ms(r.ms)}`);
  }
  const byPath = new Map(listing.map((e) => [e.file.path, e]));
  const edit = (file: string, n: string) => {
    const entry = byPath.get(file)!;
    return { raw: withParagraph(withTitle(entry.data, `Information page (edit ${n})`), `This page was edited in benchmark save ${n}.`), version: entry.file.id };
  };

  // 2. Saving, one at a time: a draft save of a different entry each time (each makes its branch).
  log(`Saving: ${warmups} warm-up and ${saves} timed draft saves through HTTP, in turn with a plain commit of the same file and a direct gateway save`);
  const save = { anchor: [] as number[], direct: [] as number[], http: [] as number[] };
  const storeMs = new Map<string, number[]>();
  const storeCalls = new Map<string, number>();
  for (let i = -warmups; i < saves; i++) {
    const httpFile = big.generated[i < 0 ? 900 + i : i]!;
    const directFile = big.generated[i < 0 ? 950 + i : 300 + i]!;
    const a = edit(httpFile, `a${i}`);
    const d = edit(directFile, `d${i}`);
    // The anchor's text differs by a word: no object it writes is one the gateway's save would find already written.
    const p = edit(httpFile, `p${i}`);
    let anchorMs = 0;
    let directMs = 0;
    let r = { status: 0, text: '', ms: 0 };
    let calls = new Map<string, number>();
    let callCounts = new Map<string, number>();
    await inTurn(i, [
      async () => void ([anchorMs] = await time(() => plainCommit(big.dir, httpFile, p.raw, `refs/bench/anchor-${i + warmups}`))),
      async () => {
        storeTimes.reset();
        r = await portal.cms(editor, 'persistEntry', draftSave(httpFile, a.raw, a.version));
        [calls, callCounts] = [new Map(storeTimes.ms), new Map(storeTimes.calls)];
      },
      async () => void ([directMs] = await time(() => portal.gateway.handle(editor.identity, { practice, action: 'persistEntry', params: draftSave(directFile, d.raw, d.version) }))),
    ]);
    if (r.status !== 200) throw new Error(`persistEntry answered ${r.status}: ${r.text.slice(0, 200)}`);
    if (i < 0) continue;
    save.anchor.push(anchorMs);
    save.http.push(r.ms);
    save.direct.push(directMs);
    for (const [name, t] of calls) storeMs.set(name, [...(storeMs.get(name) ?? []), t]);
    for (const [name, n] of callCounts) storeCalls.set(name, n);
    if ((i + 1) % 10 === 0) log(`  ${i + 1} saves: last plain ${ms(anchorMs)}, gateway ${ms(directMs)}, through HTTP ${ms(r.ms)}`);
  }
  // The saves landed: each draft holds the text sent, and main is untouched.
  if (big.git('rev-parse', 'main') !== mainHead) throw new Error('main moved during the draft saves');
  for (const file of big.generated.slice(0, saves))
    if (big.show(`cms/${practice}/pages/${slugOf(file)}`, file) !== edit(file, `a${big.generated.indexOf(file)}`).raw) throw new Error(`the draft of ${file} does not hold the text saved`);

  // 3. 50 saves at once, by 50 editors, of 50 different entries.
  log(`${concurrent} concurrent draft saves through HTTP, by ${concurrent} editors of ${concurrent} different entries`);
  const batch = big.generated.slice(100, 100 + concurrent);
  const sent = batch.map((file, k) => ({ file, who: people.editors[k]!, ...edit(file, `c${k}`) }));
  const started = performance.now();
  const replies = await Promise.all(sent.map((s) => portal.cms(s.who, 'persistEntry', draftSave(s.file, s.raw, s.version))));
  const wallMs = performance.now() - started;
  const refused = replies.filter((r) => r.status !== 200);
  const branches = new Set(big.git('for-each-ref', '--format=%(refname:short)', `refs/heads/cms/${practice}/pages/`).split('\n'));
  const lost = sent.filter((s) => {
    const branch = `cms/${practice}/pages/${slugOf(s.file)}`;
    return !branches.has(branch) || big.show(branch, s.file) !== s.raw || big.git('log', '-1', '--format=%ae', branch) !== s.who.email;
  });
  if (big.git('rev-parse', 'main') !== mainHead) throw new Error('main moved during the draft saves');
  log(`  ${replies.length - refused.length} of ${concurrent} answered 200; ${concurrent - lost.length} drafts hold the right text and author; wall time ${ms(wallMs)}`);
  if (refused.length || lost.length)
    throw new Error(`${refused.length} saves refused (${refused[0]?.text.slice(0, 200) ?? ''}); ${lost.length} drafts missing or wrong (${lost.map((s) => s.file).slice(0, 5).join(', ')})`);
  const concurrentLatency = replies.map((r) => r.ms);

  // 4. Edit to page served, in the demo practice as it is and in the 1,000-entry one.
  const demo = await contentRepo([practice]);
  repos.push(demo);
  const served = await editToServed('demo', demo, people, `${pagesFolder}/appointments.md`, publishRuns);
  const servedBig = await editToServed('big', big, people, big.generated[500]!, 3);

  report({ list, save, storeMs, storeCalls, wallMs, concurrentLatency, served, servedBig, demoPages: (await plainRead(demo.dir, pagesFolder)).length });
} finally {
  await opened.close();
  await cleanUp();
}

interface Served {
  saveMs: number[];
  publishMs: number[];
  /** Of the publish: time in git store calls (reads, the merge commit, the working folder update). */
  publishStoreMs: number[];
  /** The same by store method: each run's time, and calls per publish. */
  publishByMethod: Map<string, number[]>;
  publishCalls: Map<string, number>;
  rebuildMs: number[];
  servedMs: number[];
  firstBuildMs: number;
}

/**
 * Publish on commit as `pd start` runs it: the practice built once and served by the local server;
 * the gateway's `onPublished` queues a rebuild of the practice; checkout sync brings the working
 * folder (which the build reads) up to date with `main`. Each run: an editor saves a draft of the
 * page with a new sentence, the practice manager publishes it, and the served page is fetched every
 * 10 ms until the sentence is in it. The first run is a warm-up.
 */
async function editToServed(label: string, repo: ContentRepo, people: People, file: string, runs: number): Promise<Served> {
  const settings = loadSettings(root, { PD_STORE_DIR: path.join(tmp, label, 'store'), PD_DIST_DIR: path.join(tmp, label, 'dist'), PD_PORT: '0', PD_CONTENT_ROOT: repo.dir });
  const store = revisionStore(settings.storeDir);
  const builds: number[] = [];
  const build = async (which: string[] | 'all') => {
    const t = performance.now();
    const report = await buildSites({ root, contentRoot: repo.dir, settings, store, practices: which === 'all' ? undefined : which });
    const failed = report.practices.find((p) => !p.ok);
    if (failed) throw new Error(`${failed.slug} did not build: ${failed.problems.slice(0, 3).map((p) => `${p.file}: ${p.message}`).join('; ')}`);
    builds.push(performance.now() - t);
  };
  log(`Edit to page served (${label}): building ${practice} once`);
  await build([practice]);
  const firstBuildMs = builds.pop()!;
  const queue = rebuildQueue((which) => build(which).catch((e) => log(`  rebuild failed: ${(e as Error).message}`)));
  const storeTimes = new StoreTimes();
  const portal: Portal = portalOver(opened, people, repo.dir, { onPublished: (e) => queue.add(e.practice), storeTimes });
  const server = await startDevServer({ store, host: '127.0.0.1', port: 0, practices: () => [practice] });
  const pathname = `/${slugOf(file)}/`;
  const editor = people.editors[0]!;
  const out: Served = { saveMs: [], publishMs: [], publishStoreMs: [], publishByMethod: new Map(), publishCalls: new Map(), rebuildMs: [], servedMs: [], firstBuildMs };
  try {
    if ((await get(server, practice, pathname)).status !== 200) throw new Error(`${pathname} is not served before the edits`);
    log(`  built in ${ms(firstBuildMs)}; ${runs} timed edits of ${file} after a warm-up`);
    for (let i = -1; i < runs; i++) {
      // What the CMS read when the editor opened the entry: not part of the edit's time.
      const current = await portal.cms(editor, 'getEntry', { path: file });
      const entry = JSON.parse(current.text) as EntryFile;
      const marker = `Benchmark edit ${label} ${i + 2} ${Date.now().toString(36)} is live.`;
      const raw = withParagraph(entry.data.replace(/^Benchmark edit .*\n\n/m, ''), marker);
      const rebuildsBefore = builds.length;
      const started = performance.now();
      const saved = await portal.cms(editor, 'persistEntry', draftSave(file, raw, entry.file.id));
      if (saved.status !== 200) throw new Error(`the draft save answered ${saved.status}: ${saved.text.slice(0, 200)}`);
      storeTimes.reset();
      const published = await portal.cms(people.manager, 'publishUnpublishedEntry', { collection: 'pages', slug: slugOf(file) });
      if (published.status !== 200) throw new Error(`publishing answered ${published.status}: ${published.text.slice(0, 300)}`);
      const publishStoreMs = [...storeTimes.ms.values()].reduce((a, b) => a + b, 0);
      while (!(await get(server, practice, pathname)).body.includes(marker)) {
        if (performance.now() - started > 60_000) throw new Error(`the edit was not served within a minute`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const servedMs = performance.now() - started;
      await queue.idle();
      const rebuildMs = builds.slice(rebuildsBefore).reduce((a, b) => a + b, 0);
      log(`  edit ${i < 0 ? 'warm-up' : i + 1}: saved ${ms(saved.ms)}, published ${ms(published.ms)} (git store ${ms(publishStoreMs)}), rebuilt ${ms(rebuildMs)}, served after ${ms(servedMs)}`);
      if (i < 0) continue;
      out.saveMs.push(saved.ms);
      out.publishMs.push(published.ms);
      out.publishStoreMs.push(publishStoreMs);
      for (const [name, t] of storeTimes.ms) out.publishByMethod.set(name, [...(out.publishByMethod.get(name) ?? []), t]);
      for (const [name, n] of storeTimes.calls) out.publishCalls.set(name, n);
      out.rebuildMs.push(rebuildMs);
      out.servedMs.push(servedMs);
    }
  } finally {
    await queue.idle();
    await server.close();
  }
  return out;
}

function assertSameListing(plain: { path: string; oid: string; text: string }[], direct: EntryFile[], overHttp: EntryFile[]): void {
  const expected = plain.map((f) => `${f.path} ${f.oid} ${f.text.length}`).sort().join('\n');
  for (const [how, got] of [['direct', direct], ['HTTP', overHttp]] as const) {
    if (got.length !== entries) throw new Error(`the gateway (${how}) listed ${got.length} entries, not ${entries}`);
    if (got.map((e) => `${e.file.path} ${e.file.id} ${e.data.length}`).sort().join('\n') !== expected) throw new Error(`the gateway (${how}) listing differs from the plain read`);
  }
}

function report(r: {
  list: Record<'anchor' | 'direct' | 'http', number[]>;
  save: Record<'anchor' | 'direct' | 'http', number[]>;
  storeMs: Map<string, number[]>;
  storeCalls: Map<string, number>;
  wallMs: number;
  concurrentLatency: number[];
  served: Served;
  servedBig: Served;
  demoPages: number;
}) {
  const m = (xs: number[]) => median(xs);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const list = { anchor: m(r.list.anchor), direct: m(r.list.direct), http: m(r.list.http) };
  const save = { anchor: m(r.save.anchor), direct: m(r.save.direct), http: m(r.save.http) };
  const served = m(r.served.servedMs);
  const servedBig = m(r.servedBig.servedMs);
  const storeRows = (times: Map<string, number[]>, calls: Map<string, number>, indent: string) =>
    [...times].sort((a, b) => m(b[1]) - m(a[1])).map(([name, xs]): [string, string, string, string] => [`${indent}${name} (${calls.get(name)}×)`, ms(m(xs)), '', '']);
  const rows: [string, string, string, string][] = [
    [`list ${entries} entries, through HTTP`, ms(list.http), runsOf(r.list.http), `≤ ${targets.listMs} ms ${verdict(list.http <= targets.listMs)}`],
    ['  gateway direct (no HTTP, no token)', ms(list.direct), runsOf(r.list.direct), ''],
    ['  plain isomorphic-git read (anchor)', ms(list.anchor), runsOf(r.list.anchor), ''],
    ['  ratio HTTP / anchor', ratio(list.http, list.anchor), '', ''],
    ['  ratio direct / anchor', ratio(list.direct, list.anchor), '', ''],
    ['save a draft, through HTTP', ms(save.http), runsOf(r.save.http), `≤ ${targets.saveMs} ms ${verdict(save.http <= targets.saveMs)}`],
    ['  gateway direct (no HTTP, no token)', ms(save.direct), runsOf(r.save.direct), ''],
    ['  git store calls in a save (median)', '', '', ''],
    ...storeRows(r.storeMs, r.storeCalls, '    '),
    ['  plain isomorphic-git commit (anchor)', ms(save.anchor), runsOf(r.save.anchor), ''],
    ['  ratio HTTP / anchor', ratio(save.http, save.anchor), '', ''],
    ['  ratio direct / anchor', ratio(save.direct, save.anchor), '', ''],
    [`${concurrent} concurrent saves, wall time`, ms(r.wallMs), '', `all ${concurrent} landed`],
    ['  each save: median, then fastest and slowest', ms(m(r.concurrentLatency)), `${Math.round(Math.min(...r.concurrentLatency))} ${Math.round(Math.max(...r.concurrentLatency))}`, ''],
    [`edit to page served (demo, ${r.demoPages} pages)`, ms(served), runsOf(r.served.servedMs), `< ${targets.servedMs} ms ${verdict(served < targets.servedMs)}`],
    ['  save the draft', ms(m(r.served.saveMs)), runsOf(r.served.saveMs), ''],
    ['  publish (checks, merge, working folder)', ms(m(r.served.publishMs)), runsOf(r.served.publishMs), ''],
    ['    of which git store calls', ms(m(r.served.publishStoreMs)), runsOf(r.served.publishStoreMs), ''],
    ...storeRows(r.served.publishByMethod, r.served.publishCalls, '      '),
    ['  rebuild the practice', ms(m(r.served.rebuildMs)), runsOf(r.served.rebuildMs), ''],
    ['  first full build of the practice', ms(r.served.firstBuildMs), '', ''],
    [`edit to page served (${entries} pages)`, ms(servedBig), runsOf(r.servedBig.servedMs), ''],
    ['  save the draft', ms(m(r.servedBig.saveMs)), runsOf(r.servedBig.saveMs), ''],
    ['  publish (checks, merge, working folder)', ms(m(r.servedBig.publishMs)), runsOf(r.servedBig.publishMs), ''],
    ['    of which git store calls', ms(m(r.servedBig.publishStoreMs)), runsOf(r.servedBig.publishStoreMs), ''],
    ['  rebuild the practice', ms(m(r.servedBig.rebuildMs)), runsOf(r.servedBig.rebuildMs), ''],
    ['  first full build of the practice', ms(r.servedBig.firstBuildMs), '', ''],
  ];
  console.log(`\nCMS gateway: requests through the portal API (app.request: token, role from PGlite, gateway) over a git repository on disk.`);
  console.log('Git store times are of the store as `pd start` wraps it: a commit on main includes bringing the working folder up to date.');
  console.log(`Medians: listing of ${listRuns} runs, saves of ${saves}, edit to page served of ${publishRuns} (${r.servedBig.servedMs.length} in the ${entries}-page practice). Node ${process.version}, ${os.availableParallelism()} CPUs.\n`);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length), ['', 'median', 'runs', 'target'][c]!.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ').trimEnd();
  console.log(line(['', 'median', 'runs', 'target']));
  for (const row of rows) console.log(line(row));

  const round = (n: number) => Math.round(n * 10) / 10;
  const result = {
    entries,
    listHttpMs: round(list.http),
    listDirectMs: round(list.direct),
    listAnchorMs: round(list.anchor),
    listRatio: Number((list.http / list.anchor).toFixed(2)),
    saveHttpMs: round(save.http),
    saveDirectMs: round(save.direct),
    saveAnchorMs: round(save.anchor),
    saveRatio: Number((save.http / save.anchor).toFixed(2)),
    saveStoreMs: Object.fromEntries([...r.storeMs].map(([k, xs]) => [k, round(m(xs))])),
    concurrentSaves: concurrent,
    concurrentWallMs: round(r.wallMs),
    concurrentMedianMs: round(m(r.concurrentLatency)),
    concurrentMinMs: round(Math.min(...r.concurrentLatency)),
    concurrentMaxMs: round(Math.max(...r.concurrentLatency)),
    servedMs: round(served),
    servedRunsMs: r.served.servedMs.map(round),
    servedSaveMs: round(m(r.served.saveMs)),
    servedPublishMs: round(m(r.served.publishMs)),
    servedPublishStoreMs: round(m(r.served.publishStoreMs)),
    servedPublishStoreByMethodMs: Object.fromEntries([...r.served.publishByMethod].map(([k, xs]) => [k, round(m(xs))])),
    servedRebuildMs: round(m(r.served.rebuildMs)),
    servedBigMs: round(servedBig),
    servedBigPublishMs: round(m(r.servedBig.publishMs)),
    servedBigPublishStoreMs: round(m(r.servedBig.publishStoreMs)),
    servedBigRebuildMs: round(m(r.servedBig.rebuildMs)),
    targetsMet: { list: list.http <= targets.listMs, save: save.http <= targets.saveMs, served: served < targets.servedMs },
  };
  console.log(`\nRESULT json: ${JSON.stringify(result)}`);
}

/** Runs the steps one after another, starting with a different one each round, so none always goes first. */
async function inTurn(round: number, steps: (() => Promise<void>)[]): Promise<void> {
  const start = ((round % steps.length) + steps.length) % steps.length;
  for (let k = 0; k < steps.length; k++) await steps[(start + k) % steps.length]!();
}

async function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function ms(n: number): string {
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

/** Every run, or the range when there are many. */
function runsOf(xs: number[]): string {
  if (xs.length > 11) return `${Math.round(Math.min(...xs))} to ${Math.round(Math.max(...xs))} (${xs.length} runs)`;
  return xs.map((n) => Math.round(n)).join(' ');
}
