// Running wrangler for a deploy: the exact arguments, a printable form of them, and the run
// itself — from a scratch folder holding only a link to this project's functions/ (so wrangler
// bundles the site's Functions, such as /api/chat, and never picks up a configuration from
// wherever pd was started), never interactive, without telemetry.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeployError } from './settings.ts';

export interface PagesDeployArgs {
  folder: string;
  project: string;
  branch: string;
  commit: string;
  message: string;
}

/** `wrangler pages deploy` with every value given, so wrangler guesses nothing from git. */
export function pagesDeployArgs(a: PagesDeployArgs): string[] {
  return [
    'pages',
    'deploy',
    a.folder,
    '--project-name',
    a.project,
    '--branch',
    a.branch,
    '--commit-hash',
    a.commit,
    '--commit-message',
    a.message,
    // Revisions built from uncommitted content are refused before this point.
    '--commit-dirty=false',
  ];
}

/** A command line a person can paste into a POSIX shell. */
export function shellQuote(words: string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Shown instead of the absolute path when wrangler is the project's own. */
export function displayWrangler(wrangler: string, root: string): string {
  const rel = path.relative(root, wrangler);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : wrangler;
}

/** Runs wrangler, passing its output through to stderr as it comes; resolves with the exit code. */
export async function runWrangler(wrangler: string, args: string[], env: NodeJS.ProcessEnv = process.env, functionsDir?: string): Promise<number> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'pd-deploy-'));
  try {
    // Pages takes Functions from the working folder's functions/.
    if (functionsDir && (await stat(functionsDir).catch(() => undefined))?.isDirectory()) await symlink(functionsDir, path.join(scratch, 'functions'));
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(wrangler, args, {
        cwd: scratch,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...env, WRANGLER_SEND_METRICS: 'false' },
      });
      child.stdout.on('data', (c: Buffer) => process.stderr.write(c));
      child.stderr.on('data', (c: Buffer) => process.stderr.write(c));
      child.once('error', (e: NodeJS.ErrnoException) =>
        reject(new DeployError(e.code === 'ENOENT' ? `there is no wrangler at ${wrangler}: run "npm ci" (or set PD_WRANGLER)` : `could not start wrangler: ${e.message}`)),
      );
      child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
