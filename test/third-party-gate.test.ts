// The build gate end to end: a theme that pulls in third-party code publishes nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSites } from '../build/pipeline/build-sites.ts';
import { loadSettings } from '../build/node/settings.ts';
import { revisionStore } from '../build/publish/revision-store.ts';
import { formatProblem } from '../lib/content/problems.ts';
import { demoNow, repo } from './support/demo-site.ts';
import { projectCopy, type ProjectCopy } from './support/project-copy.ts';

const projects: ProjectCopy[] = [];

/**
 * A project whose base layout adds `extra` to every page's head, or whose footer (page chrome,
 * rendered once per practice) carries it. A new copy each time.
 */
async function projectWithHead(extra: string, where: 'head' | 'footer' = 'head'): Promise<string> {
  const project = await projectCopy();
  projects.push(project);
  if (where === 'head') await project.editTheme('layouts/base.njk', (t) => t.replace('</head>', `${extra}\n</head>`));
  else await project.editTheme('partials/footer.njk', (t) => `${t}\n${extra}\n`);
  return project.root;
}

afterAll(() => Promise.all(projects.map((p) => p.remove())));

describe('the third-party gate in a build', () => {
  const cases: [string, string, RegExp, ('head' | 'footer')?][] = [
    ['a script in the page chrome', '<script src="https://cdn.example.com/widget.js"></script>', /page chrome .*loads a script from another origin \(https:\/\/cdn\.example\.com/, 'footer'],
    ['an analytics script', '<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>', /loads a script from another origin \(https:\/\/www\.googletagmanager\.com/],
    ['web fonts', '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Frutiger">', /loads a <link rel="stylesheet"> from another origin/],
    ['a tracking pixel', '<img src="https://www.facebook.com/tr?id=1&ev=PageView" alt="" width="1" height="1">', /loads a <img> from another origin/],
    ['an inline style attribute', '<meta name="x" style="color:red">', /a style attribute on <meta>, which a strict Content-Security-Policy cannot allow/],
  ];
  for (const [what, head, message, where] of cases) {
    it(`refuses ${what} and leaves the live revision as it was`, async () => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-gate-store-'));
      try {
        const settings = loadSettings(repo, { PD_STORE_DIR: path.join(tmp, 'store'), PD_DIST_DIR: path.join(tmp, 'dist') });
        const store = revisionStore(settings.storeDir);
        const good = await buildSites({ root: repo, contentRoot: repo, practices: ['fellside'], settings, store, now: demoNow });
        expect(good.practices[0]!.ok).toBe(true);
        const live = await store.live('fellside');
        const bad = await buildSites({ root: await projectWithHead(head, where), contentRoot: repo, practices: ['fellside'], settings, store, now: new Date(demoNow.getTime() + 60_000) });
        const result = bad.practices[0]!;
        expect(result.ok).toBe(false);
        expect(result.manifest).toBeUndefined();
        expect(result.problems.map(formatProblem).join('\n')).toMatch(message);
        expect(await store.live('fellside')).toBe(live);
        expect(await store.list('fellside')).toHaveLength(1);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    });
  }
});
