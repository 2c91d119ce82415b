// For comparison only, when Hugo happens to be installed: the same Markdown in a minimal Hugo
// site with a layout as plain as the bare Eleventy one.
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Hugo's version line, or undefined when `hugo` is not on PATH. */
export function hugoVersion(): string | undefined {
  const r = spawnSync('hugo', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Makes a Hugo site in `dir` from the bare Eleventy input's Markdown. */
export async function hugoSite(markdownDir: string, dir: string): Promise<string> {
  await cp(markdownDir, path.join(dir, 'content'), { recursive: true, filter: (src) => !/(_includes|\.11tydata\.json)$/.test(src) });
  await mkdir(path.join(dir, 'layouts/_default'), { recursive: true });
  await writeFile(
    path.join(dir, 'layouts/_default/single.html'),
    '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{{ .Title }}</title></head>\n<body>\n<h1>{{ .Title }}</h1>\n{{ .Content }}\n</body>\n</html>\n',
  );
  // Only the pages themselves, as in the bare Eleventy build; raw HTML passes as markdown-it lets it.
  await writeFile(
    path.join(dir, 'hugo.toml'),
    [
      'baseURL = "https://bench.example/"',
      'disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotsTXT", "404"]',
      '[markup.goldmark.renderer]',
      'unsafe = true',
      '',
    ].join('\n'),
  );
  return dir;
}

/** Wall time of one `hugo` build of `site` into `output`, a new folder. */
export async function hugoBuild(site: string, output: string): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('hugo', ['--source', site, '--destination', output, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`hugo exited with code ${code}`))));
  });
  return performance.now() - started;
}
