// Which version of each file the person started from. The gateway refuses a save that does not
// name, for every file it writes, the version (git blob id) the edit began with, so two people
// can never overwrite each other (docs/cms.md). Decap's proxy backend knows nothing of this, so
// the backend notes the version of every file the gateway hands out (entries on `main` and
// files of drafts) and adds `versions` to each save.
//
// A draft's files are kept apart from `main`'s: the entries list reads `main` again at any time,
// and must not make a save of an open draft look stale.
import type { ProxyPayload } from 'decap-cms-backend-proxy';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export class FileVersions {
  readonly #main = new Map<string, string>();
  readonly #drafts = new Map<string, string>();
  /** `collection/slug` → the paths its draft changes. */
  readonly #draftPaths = new Map<string, Set<string>>();

  /** The version this save starts from, for each file it writes: the draft's if there is one, else `main`'s; null for a new entry. */
  versionsFor(paths: readonly string[], newEntry: boolean): Record<string, string | null> {
    return Object.fromEntries(paths.map((p) => [p, newEntry ? null : (this.#drafts.get(p) ?? this.#main.get(p) ?? null)]));
  }

  /** Adds `versions` to a save; every other request goes as it is. */
  prepare(payload: ProxyPayload): ProxyPayload {
    if (payload.action !== 'persistEntry') return payload;
    const files = Array.isArray(payload.params.dataFiles) ? (payload.params.dataFiles as Json[]) : [];
    const options = isObject(payload.params.options) ? payload.params.options : {};
    const paths = files.map((f) => str(f.path)).filter((p): p is string => Boolean(p));
    return { ...payload, params: { ...payload.params, versions: this.versionsFor(paths, options.newEntry === true) } };
  }

  /** Notes the versions in an answer from the gateway. */
  observe(payload: ProxyPayload, answer: unknown): void {
    const p = payload.params;
    const key = `${str(p.collection) ?? ''}/${str(p.slug) ?? ''}`;
    switch (payload.action) {
      case 'entriesByFolder':
      case 'entriesByFiles':
        if (Array.isArray(answer)) for (const e of answer) this.#noteMain(e);
        return;
      case 'getEntry':
        this.#noteMain(answer);
        return;
      case 'unpublishedEntry':
        if (isObject(answer) && Array.isArray(answer.diffs))
          this.#draftPaths.set(key, new Set(answer.diffs.map((d) => (isObject(d) ? str(d.path) : undefined)).filter((x): x is string => Boolean(x))));
        return;
      case 'unpublishedEntryDataFile': {
        const path = str(p.path);
        if (path && isObject(answer) && str(answer.id)) this.#drafts.set(path, answer.id as string);
        return;
      }
      case 'persistEntry': {
        const options = isObject(p.options) ? p.options : {};
        const saved = isObject(answer) && isObject(answer.versions) ? answer.versions : {};
        const toDraft = options.useWorkflow !== false;
        const files = Array.isArray(p.dataFiles) ? (p.dataFiles as Json[]) : [];
        const slug = str(files[0]?.slug);
        const draftKey = `${str(options.collectionName) ?? ''}/${slug ?? ''}`;
        for (const [path, id] of Object.entries(saved)) {
          if (typeof id !== 'string') continue;
          (toDraft ? this.#drafts : this.#main).set(path, id);
          if (toDraft) this.#draftPaths.set(draftKey, new Set([...(this.#draftPaths.get(draftKey) ?? []), path]));
        }
        return;
      }
      case 'publishUnpublishedEntry':
        // The draft's files are now `main`'s.
        for (const path of this.#draftPaths.get(key) ?? []) {
          const id = this.#drafts.get(path);
          if (id) this.#main.set(path, id);
          this.#drafts.delete(path);
        }
        this.#draftPaths.delete(key);
        return;
      case 'deleteUnpublishedEntry':
        for (const path of this.#draftPaths.get(key) ?? []) this.#drafts.delete(path);
        this.#draftPaths.delete(key);
        return;
    }
  }

  #noteMain(entry: unknown): void {
    const file = isObject(entry) && isObject(entry.file) ? entry.file : undefined;
    const path = str(file?.path);
    const id = str(file?.id);
    if (path && id) this.#main.set(path, id);
  }
}
