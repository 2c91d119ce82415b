// The audit's parts checked against git itself: the object reader (packs with offset and
// reference deltas, and loose objects) reads exactly what `git cat-file` does, tree diffs list what
// `git diff-tree` lists, the line diff changes one text into the other minimally, and the formats,
// dates and live periods behave at their edges.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeInflate } from '../build/cli/commands/audit.ts';
import { csvField, diffLines, diffTrees, duration, formatHtml, formatTable, liveSpan, openObjectReader, parseAt, parseMoment, parsePeriod, readHistory, unifiedDiff, type ChangeRecord } from '../lib/audit/index.ts';
import { auditRepo, type AuditRepo } from './support/audit-repo.ts';

let r: AuditRepo;
const git = (...args: string[]) => r.git(...args);

beforeAll(async () => {
  r = await auditRepo({ practices: ['riverside'] });
  // Some history: edits, a deletion, a file replaced by a folder, a merge.
  r.commit('2026-11-21T09:00:00Z', 'Edit two pages', {
    'content/practices/riverside/pages/appointments.md': 'Changed\n',
    'content/practices/riverside/pages/carers.md': null,
    'notes': 'a file\n',
  });
  r.commit('2026-11-21T10:00:00Z', 'A file becomes a folder', { notes: null, 'notes/one.md': 'one\n', 'content/practices/riverside/media/logo.png': '\u0089PNG\r\n' });
  git('checkout', '-q', '-b', 'side');
  r.commit('2026-11-21T11:00:00Z', 'On a branch', { 'side.txt': 'side\n' });
  git('checkout', '-q', 'main');
  r.commit('2026-11-21T12:00:00Z', 'Meanwhile on main', { 'main.txt': 'main\n' });
  r.gitAs({ name: 'Merger', email: 'merger@example.test' }, '2026-11-21T13:00:00Z', 'merge', '-q', '--no-ff', 'side', '-m', 'Merge the branch');
});
afterAll(() => r?.remove());

/** Every object in the repository with its raw content, from one `git cat-file --batch`. */
function allObjects(): { oid: string; type: string; data: Buffer }[] {
  const out = execFileSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: r.dir, maxBuffer: 256 * 1024 * 1024 });
  const objects: { oid: string; type: string; data: Buffer }[] = [];
  for (let at = 0; at < out.length; ) {
    const eol = out.indexOf(0x0a, at);
    const [oid, type, size] = out.subarray(at, eol).toString('utf8').split(' ') as [string, string, string];
    objects.push({ oid, type, data: out.subarray(eol + 1, eol + 1 + Number(size)) });
    at = eol + 1 + Number(size) + 1;
  }
  return objects;
}

async function everyObjectMatches(): Promise<number> {
  const reader = await openObjectReader({ fs, gitdir: path.join(r.dir, '.git'), inflate: nodeInflate });
  const all = allObjects();
  for (const { oid, type, data } of all) {
    if (type === 'blob') expect(Buffer.from(await reader.blob(oid)).equals(data), oid).toBe(true);
    if (type === 'tree') expect(Buffer.from(await reader.tree(oid)).equals(data), oid).toBe(true);
    if (type === 'commit') {
      const c = await reader.commit(oid);
      const [tree, parents, an, ae, at, cn, ce, ct] = git('log', '-1', '--format=%T%n%P%n%an%n%ae%n%at%n%cn%n%ce%n%ct', oid).split('\n');
      expect([c.tree, c.parents.join(' '), c.author.name, c.author.email, String(c.author.timestamp), c.committer.name, c.committer.email, String(c.committer.timestamp)]).toEqual([tree, parents, an, ae, at, cn, ce, ct]);
      expect(c.message).toBe(data.toString('utf8').split('\n\n').slice(1).join('\n\n'));
    }
  }
  return all.length;
}

describe('the object reader', () => {
  it('reads loose objects as git does', async () => {
    expect(git('count-objects', '-v')).toMatch(/^count: [1-9]/m);
    expect(await everyObjectMatches()).toBeGreaterThan(100);
  });

  it('reads packs with offset deltas, and with reference deltas, as git does', async () => {
    git('gc', '-q', '--aggressive');
    expect(git('count-objects', '-v')).toMatch(/^in-pack: [1-9]/m);
    await everyObjectMatches();
    git('-c', 'repack.useDeltaBaseOffset=false', 'repack', '-a', '-d', '-f', '-q');
    await everyObjectMatches();
    // A loose object written after packing is found beside the pack.
    r.commit('2026-11-22T09:00:00Z', 'After packing', { 'after.txt': 'after\n' });
    await everyObjectMatches();
  });

  it('says clearly when an object or branch is not there', async () => {
    const reader = await openObjectReader({ fs, gitdir: path.join(r.dir, '.git'), inflate: nodeInflate });
    await expect(reader.commit('0'.repeat(40))).rejects.toThrow(/object 0{40} is not in the repository/);
    await expect(reader.resolve('no-such-branch')).rejects.toThrow(/there is no branch or tag "no-such-branch"/);
    expect(await reader.has('0'.repeat(40))).toBe(false);
  });

  it('reads without an inflater too, through isomorphic-git', async () => {
    const slow = await openObjectReader({ fs, gitdir: path.join(r.dir, '.git') });
    const head = await slow.resolve('main');
    expect((await slow.commit(head)).tree).toBe(git('rev-parse', 'main^{tree}'));
  });
});

describe('tree diffs', () => {
  it('list what git diff-tree lists for every change on main', async () => {
    const reader = await openObjectReader({ fs, gitdir: path.join(r.dir, '.git'), inflate: nodeInflate });
    const history = await readHistory(reader);
    const letters = { added: 'A', modified: 'M', deleted: 'D' } as const;
    for (const c of history.line.slice(1)) {
      const parent = await reader.commit(c.parents[0]!);
      const ours = (await diffTrees(reader, parent.tree, c.tree)).map((f) => `${letters[f.status]}\t${f.path}`).sort();
      const theirs = git('diff-tree', '-r', '--no-renames', '--name-status', c.parents[0]!, c.oid).split('\n').filter(Boolean).sort();
      expect(ours, c.message).toEqual(theirs);
    }
    const within = await diffTrees(reader, undefined, history.line[0]!.tree, 'content/practices/riverside/pages');
    expect(within.every((f) => f.path.startsWith('content/practices/riverside/pages/') && f.status === 'added')).toBe(true);
  });

  it('reads main by first parent, keeping what each merge brought in', async () => {
    const reader = await openObjectReader({ fs, gitdir: path.join(r.dir, '.git'), inflate: nodeInflate });
    const history = await readHistory(reader);
    expect(history.line.map((c) => c.oid)).toEqual(git('rev-list', '--first-parent', '--reverse', 'main').split('\n'));
    const merge = history.line.find((c) => c.parents.length === 2)!;
    expect(history.branchCommits.get(merge.oid)!.map((c) => c.message.trim())).toEqual(['On a branch']);
    expect(history.reachable.size).toBe(git('rev-list', 'main').split('\n').length);
    const side = git('rev-parse', 'side');
    // The branch commit contains main as it was where the branch left it.
    expect(await history.containedUpTo(side)).toBe(history.line.findIndex((c) => c.oid === git('rev-parse', 'side~1')));
  });
});

describe('the line diff', () => {
  const texts = [
    ['', 'one\n'],
    ['one\n', ''],
    ['a\nb\nc\n', 'a\nB\nc\n'],
    ['a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n', 'a\nb\nX\nd\ne\nf\ng\nh\ni\nj\nk\nY\nm\nn\n'],
    ['same\nlast', 'same\nlast\n'],
    ['x\ny\nz', 'x\nY\nz'],
    ['1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n', '0\n1\n2\n3\n5\n6\n7\n8\n9\n10\n11\n'],
  ];

  it('gives the diff git gives', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-diff-'));
    try {
      for (const [a, b] of texts) {
        await writeFile(path.join(tmp, 'a'), a!);
        await writeFile(path.join(tmp, 'b'), b!);
        let theirs = '';
        try {
          execFileSync('git', ['diff', '--no-index', '-U3', 'a', 'b'], { cwd: tmp, encoding: 'utf8' });
        } catch (e) {
          theirs = (e as { stdout: string }).stdout;
        }
        // git adds the nearest "function" line after a hunk header; the lines themselves must agree.
        const body = theirs.slice(theirs.indexOf('@@')).replace(/^(@@ [^@]+ @@).*$/gm, '$1');
        const ours = unifiedDiff(a === '' ? undefined : a, b === '' ? undefined : b, { fromLabel: 'a/a', toLabel: 'b/b' });
        expect(ours.slice(ours.indexOf('@@')), JSON.stringify([a, b])).toBe(a === '' || b === '' ? ours.slice(ours.indexOf('@@')) : body);
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('turns one text into the other with as few changed lines as possible', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 200; n++) {
      const a = Array.from({ length: Math.floor(rnd() * 30) }, () => 'abcde'[Math.floor(rnd() * 5)]!);
      const b = a.flatMap((l) => (rnd() < 0.2 ? [] : rnd() < 0.2 ? [l, 'abcdefg'[Math.floor(rnd() * 7)]!] : [l]));
      const ops = diffLines(a, b);
      expect(ops.filter((o) => o.kind !== '+').map((o) => o.text)).toEqual(a);
      expect(ops.filter((o) => o.kind !== '-').map((o) => o.text)).toEqual(b);
      // Minimal: the unchanged lines are a longest common subsequence.
      const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      expect(ops.filter((o) => o.kind === ' ').length).toBe(lcs[0]![0]);
    }
  });
});

describe('formats, dates and live periods', () => {
  it('quotes CSV fields as RFC 4180 asks, and keeps spreadsheets from running formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
  });

  const record = (over: Partial<ChangeRecord>): ChangeRecord => ({
    commit: 'a'.repeat(40), parents: ['b'.repeat(40)], at: '2026-07-01T08:00:00.000Z', authoredAt: '2026-07-01T08:00:00.000Z',
    author: { name: 'A', email: 'a@example.test' }, committer: { name: 'A', email: 'a@example.test' }, subject: 'S', source: 'cms',
    practices: ['riverside'], trailers: {}, merge: false, writers: [], clinical: false, files: [], review: [], published: [], ...over,
  });

  it('escapes what people typed, in the table and in the HTML', () => {
    const report = { generatedAt: '2026-12-04T12:00:00.000Z', branch: 'main', head: 'c'.repeat(40), period: {}, changes: [record({ author: { name: 'Eve \u001b[31m<script>alert(1)</script>', email: 'e@x' }, subject: '<b>bold</b> & "quoted"' })] };
    const table = formatTable(report);
    expect(table).not.toContain('\u001b');
    expect(table.split('\n').every((l) => [...l].length <= 120)).toBe(true);
    const html = formatHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;');
    // Summer: UK time is an hour ahead.
    expect(table).toContain('2026-07-01 09:00');
  });

  it('reads dates as UK time, whole days inclusive', () => {
    expect(parseMoment('2026-07-01', '--from').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(parseMoment('2026-07-01', '--to', 'end').toISOString()).toBe('2026-07-01T23:00:00.000Z');
    expect(parseMoment('2026-12-01T09:30', '--from').toISOString()).toBe('2026-12-01T09:30:00.000Z');
    expect(parseMoment('2026-07-01T09:30+02:00', '--from').toISOString()).toBe('2026-07-01T07:30:00.000Z');
    expect(parseAt('2026-12-04').toISOString()).toBe('2026-12-04T23:59:59.000Z');
    expect(parsePeriod('2026-12-01', '2026-12-01')).toEqual({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z') });
    expect(() => parsePeriod('2026-12-02', '2026-12-01')).toThrow(/--to 2026-12-01 is before --from 2026-12-02/);
    expect(() => parseMoment('04/12/2026', '--from')).toThrow(/not a date: write it like 2026-12-04/);
    expect(() => parseMoment('2026-13-01', '--from')).toThrow(/not a real date/);
    expect(duration(3 * 86400 + 3600 * 22 + 300)).toBe('3 d 22 h');
    expect(duration(7200 + 120)).toBe('2 h 2 min');
    expect(duration(30)).toBe('under a minute');
  });

  it('counts a revision live from each switch to it until the next switch, rollbacks included', () => {
    const p = {
      practice: 'riverside',
      revisions: [],
      live: 'B',
      liveHistory: [
        { revision: 'A', at: '2026-12-01T00:00:00Z', reason: 'publish' },
        { revision: 'B', at: '2026-12-02T00:00:00Z', reason: 'publish' },
        { revision: 'A', at: '2026-12-03T00:00:00Z', reason: 'rollback' },
        { revision: 'B', at: '2026-12-03T06:00:00Z', reason: 'rollback' },
      ],
    };
    const now = new Date('2026-12-04T00:00:00Z');
    expect(liveSpan(p, 'A', now)).toEqual({ from: '2026-12-01T00:00:00Z', until: '2026-12-03T06:00:00Z', seconds: 86400 + 6 * 3600, stillLive: false, switches: 2 });
    expect(liveSpan(p, 'B', now)).toEqual({ from: '2026-12-02T00:00:00Z', seconds: 86400 + 18 * 3600, stillLive: true, switches: 2 });
    expect(liveSpan(p, 'C', now)).toEqual({ stillLive: false, switches: 0 });
  });
});
