// The revision store: immutable revisions, the atomic live link, and the log of every switch that
// the audit reads to say which revision patients saw and for how long.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revisionStore, type RevisionStore } from './revision-store.ts';

let tmp: string;
let store: RevisionStore;

async function site(text: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmp, 'build-'));
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'index.html'), text);
  return folder;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-revisions-'));
  store = revisionStore(path.join(tmp, 'store'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('the revision store', () => {
  it('publishes revisions, switches live, and logs every switch with its reason', async () => {
    const a = await store.publish('riverside', await site('one'), { commit: 'a'.repeat(40), dirty: false, builtAt: '2026-12-01T10:00:00.000Z' });
    const b = await store.publish('riverside', await site('two'), { commit: 'b'.repeat(40), dirty: false, builtAt: '2026-12-02T10:00:00.000Z' });
    expect(await store.live('riverside')).toBe(b.revision);
    await store.switchLive('riverside', a.revision);
    expect(await readFile(path.join((await store.liveFolder('riverside'))!, 'index.html'), 'utf8')).toBe('one');
    const history = await store.liveHistory('riverside');
    expect(history.map((e) => [e.revision, e.reason])).toEqual([
      [a.revision, 'publish'],
      [b.revision, 'publish'],
      [a.revision, 'rollback'],
    ]);
    expect(history.every((e, i) => i === 0 || e.at >= history[i - 1]!.at)).toBe(true);
    await expect(store.switchLive('riverside', 'nope')).rejects.toThrow(/no revision "nope"/);
    expect(await store.liveHistory('riverside')).toHaveLength(3);
    expect(await store.liveHistory('fellside')).toEqual([]);
  });
});
