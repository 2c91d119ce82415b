// Derives the JSON Schema of the export format (lib/export/format.ts) from the content model: the
// typed front matter of each collection is described by that collection's fields, read the way
// the content loader types them, so the published schema cannot drift from the model or the
// checks. One self-contained file: every type the document uses is in its `$defs`.
import type { Fields } from '../../schemas/dsl.ts';
import { formats } from '../../schemas/formats.ts';
import { collections } from '../../schemas/model.ts';
import { mediaTypes } from '../../lib/content/load-practice.ts';
import { exportFormat, exportSchemaId, exportVersion } from '../../lib/export/format.ts';
import { isoInstantPattern, objectSchema } from './derive-json-schema.ts';

const slug = formats.slug.pattern.slice(1, -1);
const oid = '^[0-9a-f]{40}$';
const instant = { type: 'string', pattern: isoInstantPattern };
const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
const anyCase = (s: string) => [...s].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
/** A path segment: no slash, backslash or control character. */
const segment = '[^/\\\\\\u0000-\\u001f]+';
/** Under media/, any depth, no `.`, `..` or `.git` segment, ending in a media file extension. */
const mediaPath = `^media/(?!(?:[^/]*/)*(?:\\.{1,2}|\\.${anyCase('git')})(?:/|$))${segment}(?:/${segment})*\\.(?:${Object.keys(mediaTypes).map(anyCase).join('|')})$`;

export function deriveExportSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  const rules: Record<string, unknown>[] = [];
  const addType = (typeName: string, title: string, fields: Fields, where: string) => {
    defs[typeName] ??= { title, description: `The front matter or YAML of ${where}, as the content model types it.`, ...objectSchema(fields, 'typed') };
  };
  for (const c of collections) {
    if (c.kind === 'folder') {
      addType(c.typeName, c.labelSingular, c.fields, `${c.folder}/*.md`);
      rules.push({
        if: { properties: { collection: { const: c.name } }, required: ['collection'] },
        then: { properties: { path: { type: 'string', pattern: `^${c.folder}/${slug}\\.md$` }, data: ref(c.typeName) }, required: ['body'] },
      });
      continue;
    }
    rules.push({ if: { properties: { collection: { const: c.name } }, required: ['collection'] }, then: { properties: { path: { enum: c.files.map((f) => f.file) } } } });
    for (const f of c.files) {
      addType(f.typeName, f.typeName === 'Policy' ? 'Policy page' : f.label, f.fields, f.typeName === 'Policy' ? 'policies/*.md' : f.file);
      rules.push({
        if: { properties: { path: { const: f.file } }, required: ['path'] },
        then: {
          properties: { collection: { const: c.name }, slug: { const: f.file.split('/').pop()!.replace(/\.(md|yml)$/, '') }, data: ref(f.typeName), ...(f.body ? {} : { body: false }) },
          ...(f.body ? { required: ['body'] } : {}),
        },
      });
    }
  }
  const profileType = collections.flatMap((c) => (c.kind === 'files' ? c.files : [])).find((f) => f.file === 'practice.yml')!.typeName;

  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: exportSchemaId,
    title: 'Practice Digital export',
    description:
      "Everything of one practice: each content file as its exact text and as the content model types it, its media, and a summary of its git history. `pd import` writes the practice back from the sources and media; the typed values are for reading. See docs/export.md.",
    type: 'object',
    additionalProperties: false,
    required: ['format', 'version', 'practice', 'exportedAt', 'commit', 'profile', 'items', 'media', 'history'],
    properties: {
      $schema: { type: 'string', description: 'The address of this schema.' },
      format: { const: exportFormat },
      version: { const: exportVersion, description: 'Raised only by a change an older reader would misread.' },
      practice: { type: 'string', pattern: formats.slug.pattern, description: 'The practice folder name: content/practices/<practice>/.' },
      exportedAt: { ...instant, description: 'When the export was made.' },
      commit: {
        type: 'object',
        description: 'The commit the content was read from.',
        additionalProperties: false,
        required: ['oid', 'at', 'subject'],
        properties: { oid: { type: 'string', pattern: oid }, at: { ...instant, description: 'Commit time.' }, subject: { type: 'string' } },
      },
      profile: { ...ref(profileType), description: 'practice.yml as the content model types it (the same value as that item\'s data).' },
      items: { type: 'array', description: 'Every content file, in path order.', items: ref('Item') },
      media: { type: 'array', description: 'Every file under media/, in path order.', items: ref('Media') },
      history: ref('History'),
    },
    $defs: {
      Item: {
        title: 'Content file',
        type: 'object',
        additionalProperties: false,
        required: ['collection', 'path', 'slug', 'data', 'source'],
        properties: {
          collection: { enum: collections.map((c) => c.name), description: "The content model's collection." },
          path: { type: 'string', description: 'Path inside the practice folder.' },
          slug: { type: 'string', pattern: formats.slug.pattern, description: 'The file name without its extension.' },
          url: { type: 'string', pattern: formats['site-path'].pattern, description: "Where the entry is published on the practice's site." },
          data: { type: 'object', description: "The front matter (or YAML) as the content model types it; described by the collection's type below." },
          source: { type: 'string', description: "The file's exact text: what pd import writes." },
          body: { type: 'string', contentMediaType: 'text/markdown', description: 'The Markdown body (Markdown files only).' },
        },
        allOf: rules,
      },
      Media: {
        title: 'Media file',
        type: 'object',
        additionalProperties: false,
        required: ['path', 'type', 'size', 'sha256', 'base64'],
        properties: {
          path: { type: 'string', pattern: mediaPath, description: 'Path inside the practice folder, under media/.' },
          type: { enum: [...new Set(Object.values(mediaTypes))] },
          size: { type: 'integer', minimum: 0, description: 'Bytes.' },
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: "Hex SHA-256 of the file's bytes; pd import refuses a file that does not match." },
          base64: { type: 'string', contentEncoding: 'base64', contentMediaType: 'application/octet-stream', pattern: '^[A-Za-z0-9+/]*={0,2}$' },
        },
      },
      Change: {
        title: 'Commit',
        type: 'object',
        additionalProperties: false,
        required: ['commit', 'at', 'author', 'subject'],
        properties: {
          commit: { type: 'string', pattern: oid },
          at: { ...instant, description: 'Author time.' },
          author: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'email'],
            properties: { name: { type: 'string' }, email: { type: 'string' } },
          },
          subject: { type: 'string', description: 'The first line of the commit message.' },
        },
      },
      History: {
        title: 'History summary',
        description: "Read from the exported commit's first-parent line: each change counts once, when it reached the branch.",
        type: 'object',
        additionalProperties: false,
        required: ['commits', 'first', 'last', 'files'],
        properties: {
          commits: { type: 'integer', minimum: 1, description: "Commits that changed the practice's folder." },
          first: ref('Change'),
          last: ref('Change'),
          files: { type: 'array', description: 'One per exported file, in path order.', items: ref('FileHistory') },
        },
      },
      FileHistory: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'changes', 'first', 'last'],
        properties: {
          path: { type: 'string' },
          changes: { type: 'integer', minimum: 1, description: 'Commits that added or changed the file.' },
          first: ref('Change'),
          last: ref('Change'),
        },
      },
      ...defs,
    },
  };
}
