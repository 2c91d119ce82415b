// Production rollback: find the Pages deployment that served a given revision and make it live
// again with the API's rollback (no new deployment, no upload; Cloudflare switches at once).
import type { Manifest } from '../publish/revision-store.ts';
import { readDeployMessage } from './deploy-message.ts';
import { eachDeployment, succeeded, type PagesApi, type PagesDeployment } from './pages-api.ts';
import { DeployError } from './settings.ts';

/** How far back to look: 8 pages of 25 production deployments. */
export const searchPages = 8;

export interface RollbackTarget {
  deployment: PagesDeployment;
  /** How the deployment matched: the same revision, the same output, or only the same commit. */
  match: 'revision' | 'output' | 'commit';
}

/**
 * The successful production deployment made from the revision's commit: the one that names the
 * revision if there is one, else one with the same output, else the newest from that commit (a
 * build of the same commit at another moment, whose notices may differ).
 */
export async function findProductionDeployment(api: PagesApi, project: string, manifest: Manifest, outputHash: string): Promise<RollbackTarget> {
  const marks = (d: PagesDeployment) => readDeployMessage(d.commitMessage);
  const fromCommit: PagesDeployment[] = [];
  const seen: PagesDeployment[] = [];
  for await (const d of eachDeployment(api, project, 'production', searchPages)) {
    if (!succeeded(d)) continue;
    seen.push(d);
    if (d.commitHash !== manifest.commit) continue;
    if (marks(d)?.revision === manifest.revision) return { deployment: d, match: 'revision' };
    fromCommit.push(d);
  }
  const byOutput = fromCommit.find((d) => marks(d)?.outputHash === outputHash);
  if (byOutput) return { deployment: byOutput, match: 'output' };
  if (fromCommit[0]) return { deployment: fromCommit[0], match: 'commit' };
  const recent = seen
    .slice(0, 5)
    .map((d) => `${d.id.slice(0, 8)} (commit ${(d.commitHash ?? '?').slice(0, 7)}, ${d.createdOn.slice(0, 16).replace('T', ' ')})`)
    .join(', ');
  throw new DeployError(
    `no successful production deployment of ${project} was made from commit ${manifest.commit.slice(0, 7)} (revision ${manifest.revision}) among the newest ${seen.length}` +
      (recent ? `; the newest are ${recent}` : '') +
      '. Roll back to a revision that was deployed, or deploy this one with pd deploy',
  );
}
