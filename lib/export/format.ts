// The export format: one JSON document holding everything of one practice — its content files as
// their exact text and as the content model types them, its media, and a summary of its git
// history. Described by schemas/json/export.schema.json, which `pd generate` derives from the
// content model (build/generate/derive-export-schema.ts); docs/export.md explains every field.
import type { PracticeProfile } from '../../schemas/generated/types.ts';

export const exportFormat = 'practice-digital-export';
/** Raised only when a change would make an older reader misread a document. */
export const exportVersion = 1;
export const exportSchemaId = 'https://practice-digital.example/schemas/export.schema.json';

export interface PracticeExport {
  $schema: string;
  format: typeof exportFormat;
  version: typeof exportVersion;
  /** The practice's folder name (its slug). */
  practice: string;
  /** When the export was made (UTC). */
  exportedAt: string;
  /** The commit the content was read from. */
  commit: { oid: string; at: string; subject: string };
  /** practice.yml as the content model types it (the same value as that item's `data`). */
  profile: PracticeProfile;
  /** Every content file (practice.yml, policies, pages, services, news, team, notices), by path. */
  items: ExportItem[];
  /** Every file under media/, by path. */
  media: ExportMedia[];
  history: ExportHistory;
}

export interface ExportItem {
  /** The content model's collection: practice, policies, pages, services, news, team or notices. */
  collection: string;
  /** Path inside the practice folder, like `pages/appointments.md`. */
  path: string;
  /** The file name without its extension. */
  slug: string;
  /** Where the entry is published on the practice's site, if it is a page of its own. */
  url?: string;
  /** The front matter (or YAML) as the content model types it. */
  data: Record<string, unknown>;
  /** The file's exact text: comments, quoting, key order and line endings kept. */
  source: string;
  /** The Markdown body (Markdown files only). */
  body?: string;
}

export interface ExportMedia {
  path: string;
  type: string;
  size: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  base64: string;
}

export interface ExportChange {
  commit: string;
  /** Author time (UTC). */
  at: string;
  author: { name: string; email: string };
  /** The first line of the commit message. */
  subject: string;
}

export interface ExportHistory {
  /** Commits on the exported commit's first-parent line that changed the practice's folder. */
  commits: number;
  first: ExportChange;
  last: ExportChange;
  /** One entry per exported file (items and media), by path. */
  files: ExportFileHistory[];
}

export interface ExportFileHistory {
  path: string;
  /** Commits (as above) that added or changed the file. */
  changes: number;
  first: ExportChange;
  last: ExportChange;
}
