// Decap CMS's configuration for one practice, from the collections derived from the content
// model (schemas/generated/decap-collections.json; `pd generate` writes it, never edit it).
import collections from '../../schemas/generated/decap-collections.json' with { type: 'json' };

export interface DecapConfigOptions {
  /** The practice the person chose; its folder is all they can see. */
  practice: string;
  backend: Record<string, unknown>;
}

const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function decapConfig(o: DecapConfigOptions): Record<string, unknown> {
  if (!slugPattern.test(o.practice)) throw new Error(`"${o.practice}" is not a practice slug`);
  const inPractice = JSON.parse(JSON.stringify(collections).replaceAll('{{practice}}', o.practice)) as Record<string, unknown>[];
  return {
    backend: o.backend,
    // Every change goes through drafts, review and publishing; clinical review is enforced by the gateway.
    publish_mode: 'editorial_workflow',
    media_folder: `content/practices/${o.practice}/media`,
    public_folder: '/media',
    load_config_file: false,
    collections: inPractice,
  };
}
