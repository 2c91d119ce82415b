// Bundles the content editor's script (cms/app/main.ts, with Decap CMS, React, nunjucks and the
// preview's share of the build's own code) with esbuild, and keeps the result in the cache
// folder under the hash of every file that went into it. The bundle is large (Decap alone is
// several megabytes) but changes only when the editor's code or a dependency does, so most
// portal builds copy it from the cache instead of bundling again.
//
// The inputs are the ones esbuild reported for the last build (its metafile). If any of them
// changed, or an import now reaches a file that was not an input, one of the listed files
// changed too (the importer), so the key changes and the bundle is built again.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';

export interface CmsAppBuild {
  /** The folder (in the cache) holding the built files, to be copied to /cms/assets/. */
  dir: string;
  /** The entry script's file name in `dir`. */
  entry: string;
  /** Every file in `dir`. */
  files: string[];
  /** Whether it came from the cache. */
  cached: boolean;
  ms: number;
}

export const cmsEntry = 'cms/app/main.ts';

/** Bumped when the options below change, so the cache does not hand out a bundle built otherwise. */
const optionsVersion = 'cms-app-2';

function options(root: string, outdir: string): esbuild.BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints: [cmsEntry],
    outdir,
    entryNames: 'cms-[hash]',
    chunkNames: 'cms-[name]-[hash]',
    bundle: true,
    // Decap loads in its own chunk once someone has signed in; the sign-in steps stay small.
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    // Maps without the sources themselves: with them, Decap's map is larger than the 25 MiB a
    // Cloudflare Pages file may be. Stack traces still name the file and line.
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    // What Decap's packages expect of a bundler (webpack's defaults).
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    // decap-cms-backend-proxy and decap-cms-lib-util are Decap's own dependencies, nested under
    // decap-cms-app; the editor's backend subclasses the first and throws the second's errors.
    nodePaths: [path.join(root, 'node_modules/decap-cms-app/node_modules')],
  };
}

const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

async function keyOf(root: string, inputs: readonly string[]): Promise<string> {
  const h = createHash('sha256').update(`${optionsVersion}\0${esbuild.version}\0`);
  const hashes = await Promise.all(
    inputs.map(async (input) => {
      // Not every input is a file ("(disabled):fs" for a module a package turns off in browsers).
      const data = await readFile(path.join(root, input)).catch(() => undefined);
      return `${input}\0${data ? sha(data) : '-'}\n`;
    }),
  );
  for (const line of hashes) h.update(line);
  return h.digest('hex').slice(0, 20);
}

const exists = async (file: string) => (await stat(file).catch(() => undefined)) !== undefined;

interface Manifest {
  entry: string;
  files: string[];
}

export async function buildCmsApp(o: { root: string; cacheDir: string }): Promise<CmsAppBuild> {
  const started = performance.now();
  const base = path.join(o.cacheDir, 'cms-app');
  const inputsFile = path.join(base, 'inputs.json');
  const known = JSON.parse(await readFile(inputsFile, 'utf8').catch(() => 'null')) as { inputs: string[] } | null;
  if (known) {
    const dir = path.join(base, await keyOf(o.root, known.inputs));
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => 'null')) as Manifest | null;
    if (manifest) return { dir, ...manifest, cached: true, ms: performance.now() - started };
  }

  const tmp = path.join(base, `building-${process.pid}-${Date.now()}`);
  await mkdir(tmp, { recursive: true });
  try {
    const result = await esbuild.build(options(o.root, tmp)).catch((e: unknown) => {
      const errors = (e as { errors?: esbuild.Message[] }).errors ?? [];
      const where = (m: esbuild.Message) => (m.location ? `${m.location.file}:${m.location.line}: ` : '');
      throw new Error(`the content editor's script did not build:\n${errors.map((m) => `  ${where(m)}${m.text}`).join('\n') || String(e)}`);
    });
    const inputs = Object.keys(result.metafile.inputs).sort();
    const entry = Object.entries(result.metafile.outputs).find(([, m]) => m.entryPoint === cmsEntry)?.[0];
    if (!entry) throw new Error(`esbuild wrote no script for ${cmsEntry}`);
    const manifest: Manifest = { entry: path.basename(entry), files: (await readdir(tmp)).sort() };
    await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest));
    const key = await keyOf(o.root, inputs);
    const dir = path.join(base, key);
    // Another build (a parallel test) may have finished the same bundle first; either copy will do.
    if (await exists(dir)) await rm(tmp, { recursive: true, force: true });
    else await rename(tmp, dir);
    const next = `${inputsFile}.${process.pid}`;
    await writeFile(next, JSON.stringify({ inputs }));
    await rename(next, inputsFile);
    await pruneOld(base, key);
    return { dir, ...manifest, cached: false, ms: performance.now() - started };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Removes bundles for other inputs once they are an hour old (a running portal may still be copying a recent one). */
async function pruneOld(base: string, keep: string): Promise<void> {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of await readdir(base)) {
    if (name === keep || name === 'inputs.json' || name.startsWith('inputs.json.')) continue;
    const s = await stat(path.join(base, name)).catch(() => undefined);
    if (s?.isDirectory() && s.mtimeMs < hourAgo) await rm(path.join(base, name), { recursive: true, force: true });
  }
}
