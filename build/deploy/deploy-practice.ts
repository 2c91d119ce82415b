// One practice's deploy: which revision goes to which Pages project with which wrangler
// arguments, and whether it needs to go at all. A deploy is skipped when the newest successful
// deployment on the branch already carries the same output hash (decision 0019).
import git from 'isomorphic-git';
import fs from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest, RevisionStore } from '../publish/revision-store.ts';
import { deployMessage, readDeployMessage } from './deploy-message.ts';
import { eachDeployment, succeeded, type PagesApi, type PagesDeployment } from './pages-api.ts';
import { publishedOutput, type PublishedOutput } from './published-output.ts';
import { DeployError, pagesProject, productionBranch } from './settings.ts';
import { pagesDeployArgs } from './wrangler.ts';

/** A deployed security.txt closer than this to its Expires is refreshed even if nothing else changed. */
export const refreshWithinDays = 60;

const slugPattern = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export function checkSlug(practice: string): string {
  if (!slugPattern.test(practice)) throw new DeployError(`"${practice.slice(0, 60)}" is not a practice slug (lower-case letters, digits and hyphens)`);
  return practice;
}

export interface DeployTarget {
  practice: string;
  manifest: Manifest;
  /** The live revision's folder, links resolved. */
  folder: string;
  project: string;
  branch: string;
  output: PublishedOutput;
  message: string;
  /** The arguments to give wrangler. */
  args: string[];
}

export interface TargetOptions {
  prefix: string;
  project?: string;
  branch?: string;
  /** The content repository, to read the subject of the commit the revision was built from. */
  contentRoot?: string;
}

/** The practices that have a live revision in the store (in CI, the ones this run built). */
export async function practicesWithLiveRevision(store: RevisionStore): Promise<string[]> {
  const names = await readdir(store.root).catch(() => [] as string[]);
  const live = await Promise.all(names.filter((n) => slugPattern.test(n)).map(async (n) => ((await store.live(n)) ? n : undefined)));
  return live.filter((n): n is string => !!n).sort();
}

export async function deployTarget(store: RevisionStore, practice: string, o: TargetOptions): Promise<DeployTarget> {
  checkSlug(practice);
  const revision = await store.live(practice);
  if (!revision) throw new DeployError(`${practice} has no live revision here: build it first with "pd build --practice ${practice}"`);
  const manifest = (await store.list(practice)).find((m) => m.revision === revision);
  if (!manifest) throw new DeployError(`${practice}'s live revision ${revision} has no manifest; build it again with "pd build --practice ${practice}"`);
  if (manifest.dirty || !/^[0-9a-f]{40}$/.test(manifest.commit))
    throw new DeployError(
      `${practice} revision ${revision} was built from content that was not committed; production gets committed content only, so that git says what patients saw. Commit, then build again`,
    );
  const folder = await realpath(path.join(store.root, practice, 'revisions', revision));
  const output = await publishedOutput(folder, manifest);
  const project = pagesProject(practice, o.prefix, o.project);
  const branch = o.branch ?? productionBranch;
  const message = deployMessage({ practice, revision, outputHash: output.outputHash, ...(output.securityTxtExpires ? { securityTxtExpires: output.securityTxtExpires } : {}) }, await commitSubject(o.contentRoot, manifest.commit));
  return { practice, manifest, folder, project, branch, output, message, args: pagesDeployArgs({ folder, project, branch, commit: manifest.commit, message }) };
}

async function commitSubject(dir: string | undefined, oid: string): Promise<string | undefined> {
  if (!dir) return undefined;
  try {
    return (await git.readCommit({ fs, dir, oid })).commit.message.split('\n')[0];
  } catch {
    return undefined;
  }
}

/** The newest deployment of the project on this branch that finished successfully. */
export async function newestDeployment(api: PagesApi, project: string, branch: string): Promise<PagesDeployment | undefined> {
  const environment = branch === productionBranch ? 'production' : 'preview';
  for await (const d of eachDeployment(api, project, environment, 4)) if (succeeded(d) && (environment === 'production' || d.branch === branch)) return d;
  return undefined;
}

export interface Decision {
  deploy: boolean;
  reason: string;
}

const short = (hash: string) => `sha256:${hash.slice(0, 12)}…`;
const day = 86_400_000;

/** Whether the target must be deployed, given the newest deployment on its branch. */
export function decide(t: DeployTarget, previous: PagesDeployment | undefined, now: Date = new Date()): Decision {
  if (!previous) return { deploy: true, reason: `${t.project} has no successful deployment on branch ${t.branch} yet` };
  const marks = readDeployMessage(previous.commitMessage);
  const which = `deployment ${previous.id.slice(0, 8)}`;
  if (!marks) return { deploy: true, reason: `the newest deployment on ${t.branch} (${which}) was not made by pd deploy, so what it serves is unknown` };
  if (marks.outputHash !== t.output.outputHash)
    return {
      deploy: true,
      reason: `the published output changed since ${which} (revision ${marks.revision}): ${short(marks.outputHash)} → ${short(t.output.outputHash)}`,
    };
  const expires = marks.securityTxtExpires ? Date.parse(marks.securityTxtExpires) : NaN;
  if (!Number.isNaN(expires) && expires - now.getTime() < refreshWithinDays * day)
    return {
      deploy: true,
      reason: `the output is unchanged, but the security.txt of ${which} expires on ${marks.securityTxtExpires!.slice(0, 10)}, within ${refreshWithinDays} days; this deploy renews it`,
    };
  return {
    deploy: false,
    reason: `${which} (revision ${marks.revision}, commit ${(previous.commitHash ?? '').slice(0, 7) || 'unknown'}) already serves this output (${short(t.output.outputHash)})`,
  };
}
