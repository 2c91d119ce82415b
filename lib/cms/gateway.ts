// The CMS git gateway: Decap's proxy-backend protocol (`{ action, params }`), plus the practice
// the person chose. The caller is already verified (the portal API checks the token); here their
// membership of that practice is looked up on every request — so a revoked member is refused at
// once — and the action is dispatched. Every path, branch and permission check happens in the
// actions, before the git store is touched.
import type { Identity } from '../auth/identity.ts';
import { ConflictError, InvalidPathError, NotFoundError } from '../git-store/types.ts';
import { type Ctx, type GatewayDeps } from './gateway-context.ts';
import { badRequest, conflict, forbidden, frozen, GatewayError, notFound } from './gateway-error.ts';
import { addNote, deleteNote, getNotes, toggleNoteResolution, updateNote } from './gateway-notes.ts';
import { entriesByFiles, entriesByFolder, getEntry, getMedia, getMediaFile } from './gateway-reads.ts';
import { deleteFiles, persistMedia, postUrgentNotice } from './gateway-live.ts';
import { compliance } from './gateway-compliance.ts';
import { drafts } from './gateway-drafts.ts';
import { history, reviewsDue, revisions, rollbackContent, rollbackLive } from './gateway-rollback.ts';
import {
  deleteUnpublishedEntry,
  persistEntry,
  publishUnpublishedEntry,
  unpublishedEntries,
  unpublishedEntry,
  unpublishedEntryDataFile,
  unpublishedEntryMediaFile,
  updateUnpublishedEntryStatus,
} from './gateway-workflow.ts';
import { mayDo } from './permissions.ts';

export type { GatewayDeps, LiveSites, Member, PublishedEvent, RevisionSummary } from './gateway-context.ts';
export { GatewayError } from './gateway-error.ts';

type Action = (ctx: Ctx) => Promise<unknown>;

const actions: Record<string, Action> = {
  entriesByFolder,
  entriesByFiles,
  getEntry,
  getMedia,
  getMediaFile,
  unpublishedEntries,
  unpublishedEntry,
  unpublishedEntryDataFile,
  unpublishedEntryMediaFile,
  persistEntry,
  updateUnpublishedEntryStatus,
  deleteUnpublishedEntry,
  publishUnpublishedEntry,
  persistMedia,
  deleteFile: deleteFiles,
  deleteFiles,
  getNotes,
  addNote,
  updateNote,
  deleteNote,
  toggleNoteResolution,
  postUrgentNotice,
  history,
  reviewsDue,
  compliance,
  drafts,
  rollbackContent,
  revisions,
  rollbackLive,
  getPRMetadata: async () => ({ metadata: null }),
  getDeployPreview: async (ctx) => {
    const { collection, slug } = ctx.params;
    if (!ctx.deps.deployPreview || typeof collection !== 'string' || typeof slug !== 'string') return null;
    return ctx.deps.deployPreview(ctx.practice, `cms/${ctx.practice}/${collection}/${slug}`);
  },
  info: async () => ({ repo: 'practice content', publish_modes: ['editorial_workflow'], type: 'practice-digital' }),
};

export const gatewayActions: readonly string[] = Object.keys(actions);

/** The actions that change something: refused while a practice is frozen. */
export const writingActions: ReadonlySet<string> = new Set([
  'persistEntry',
  'updateUnpublishedEntryStatus',
  'deleteUnpublishedEntry',
  'publishUnpublishedEntry',
  'persistMedia',
  'deleteFile',
  'deleteFiles',
  'addNote',
  'updateNote',
  'deleteNote',
  'toggleNoteResolution',
  'postUrgentNotice',
  'rollbackContent',
  'rollbackLive',
]);

const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface CmsGateway {
  /** Runs one request; throws `GatewayError` for anything refused. */
  handle(identity: Identity, body: unknown): Promise<unknown>;
}

export function cmsGateway(deps: GatewayDeps): CmsGateway {
  const main = deps.mainBranch ?? 'main';
  return {
    async handle(identity, body) {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a JSON object { practice, action, params }');
      const { practice, action, params, branch } = body as Record<string, unknown>;
      if (typeof practice !== 'string' || !slugPattern.test(practice)) throw badRequest('"practice" must name the practice you are editing');
      if (typeof action !== 'string' || !Object.hasOwn(actions, action)) throw badRequest(`"${String(action).slice(0, 40)}" is not an action this gateway knows`);
      if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) throw badRequest('"params" must be an object');
      const p = (params ?? {}) as Record<string, unknown>;
      for (const b of [branch, p.branch]) if (b !== undefined && b !== main) throw badRequest(`The CMS works on the "${main}" branch only`);
      const member = await deps.memberOf(identity, practice);
      if (!member) throw forbidden(`Not allowed: ${(mayDo(null, 'read') as { reason: string }).reason}.`);
      if (writingActions.has(action) && deps.freezeState) {
        const state = await deps.freezeState(practice);
        if (state.frozen)
          throw frozen(
            `Nothing can be changed on this practice's website for now: the platform has frozen it while a security incident is handled${state.reason ? ` (${state.reason})` : ''}. The live site is unchanged. Your unsaved work stays in this window; the platform's security team will lift the freeze.`,
          );
      }
      const ctx: Ctx = { deps, store: deps.store, main, practice, member, now: deps.now?.() ?? new Date(), params: p };
      try {
        return await actions[action]!(ctx);
      } catch (e) {
        if (e instanceof GatewayError) throw e;
        if (e instanceof ConflictError) throw conflict(`Someone else changed this at the same moment; reload and try again. (${e.message})`);
        if (e instanceof InvalidPathError) throw badRequest(e.message);
        if (e instanceof NotFoundError) throw notFound(e.message);
        throw e;
      }
    },
  };
}
