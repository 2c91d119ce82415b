// A theme edit shows in the next build of the same process (as in pd start), layouts and
// partials alike: nothing compiled by an earlier run is reused.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSites } from '../build/pipeline/build-sites.ts';
import { loadSettings } from '../build/node/settings.ts';
import { demoNow, repo } from './support/demo-site.ts';
import { projectCopy, type ProjectCopy } from './support/project-copy.ts';

let project: ProjectCopy;
let tmp: string;
beforeAll(async () => {
  project = await projectCopy();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-theme-'));
});
afterAll(async () => {
  await project.remove();
  await rm(tmp, { recursive: true, force: true });
});

describe('changing the theme between builds', () => {
  it('renders the new layout, partials and views', async () => {
    const settings = loadSettings(repo, { PD_STORE_DIR: path.join(tmp, 'store'), PD_DIST_DIR: path.join(tmp, 'dist') });
    const marks = async () => {
      const html = await readFile(path.join(settings.storeDir, 'fellside/live/index.html'), 'utf8');
      return html.match(/mark-\w+/g);
    };
    for (const [i, mark] of ['mark-one', 'mark-two'].entries()) {
      for (const file of ['layouts/base.njk', 'partials/footer.njk', 'views/home.njk'])
        await project.editTheme(file, (t) => t.replace(/<!-- mark-\w+ -->|$/, `<!-- ${mark} -->`));
      const report = await buildSites({ root: project.root, contentRoot: repo, practices: ['fellside'], settings, now: new Date(demoNow.getTime() + i * 60_000) });
      expect(report.practices[0]!.ok).toBe(true);
      expect(await marks()).toEqual([mark, mark, mark]);
    }
  });
});
