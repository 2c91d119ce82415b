// The content editor's bundle: built once, then handed out from the cache while nothing it was
// built from has changed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repo } from '../../test/support/demo-site.ts';
import { buildCmsApp, cmsEntry } from './build-cms-app.ts';

const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'pd-cms-cache-'));

afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('the content editor bundle', () => {
  it('is built once, then comes from the cache under the hash of its inputs', async () => {
    const cold = await buildCmsApp({ root: repo, cacheDir });
    expect(cold.cached).toBe(false);
    expect(cold.files).toContain(cold.entry);
    expect(cold.entry).toMatch(/^cms-[A-Z0-9]+\.js$/);
    const inputs = JSON.parse(await readFile(path.join(cacheDir, 'cms-app/inputs.json'), 'utf8')).inputs as string[];
    // Decap, React and the preview's share of the build's own code all went in.
    for (const i of [cmsEntry, 'cms/app/decap/backend.ts', 'build/site/routes.ts', 'lib/markdown/render.ts'])
      expect(inputs).toContain(i);
    expect(inputs.some((i) => i.startsWith('node_modules/react-dom/'))).toBe(true);
    expect(inputs.some((i) => i.includes('decap-cms-backend-proxy/'))).toBe(true);
    // Only one copy of React.
    expect(inputs.filter((i) => /(^|\/)node_modules\/react\/package\.json$|(^|\/)node_modules\/react\/index\.js$/.test(i))).toEqual(['node_modules/react/index.js']);

    const warm = await buildCmsApp({ root: repo, cacheDir });
    expect(warm).toMatchObject({ cached: true, dir: cold.dir, entry: cold.entry });
    expect(warm.ms).toBeLessThan(cold.ms);

    // A changed input (here: one the last build listed that no longer reads the same) means a new build.
    await writeFile(path.join(cacheDir, 'cms-app/inputs.json'), JSON.stringify({ inputs: [...inputs, 'cms/app/not-there.ts'] }));
    expect((await buildCmsApp({ root: repo, cacheDir })).cached).toBe(false);
  });
});
