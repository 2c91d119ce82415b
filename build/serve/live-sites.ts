// The gateway's view of the published revisions, over the local revision store: what `npm start`
// serves. (In production the same interface is backed by Cloudflare Pages deployments.)
import type { LiveSites } from '../../lib/cms/gateway.ts';
import type { RevisionStore } from '../publish/revision-store.ts';

export function localLiveSites(store: RevisionStore): LiveSites {
  return {
    async revisions(practice) {
      const [all, live] = await Promise.all([store.list(practice), store.live(practice)]);
      return all.map((m) => ({ revision: m.revision, commit: m.commit, builtAt: m.builtAt, live: m.revision === live }));
    },
    switchTo: (practice, revision) => store.switchLive(practice, revision, 'rollback'),
  };
}
