// The export's own schema validator against Ajv, on the published schema: a sweep of damaged
// copies of a real export (every field of items of each collection given the wrong type, removed,
// or joined by one that does not exist) must be refused by both, at the same places.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import schema from '../../schemas/json/export.schema.json' with { type: 'json' };
import { demoNow, repo } from '../../test/support/demo-site.ts';
import { createLocalGitStore } from '../git-store/local.ts';
import { exportPractice } from './export-practice.ts';
import type { PracticeExport } from './format.ts';
import { schemaValidator } from './json-schema.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const ajvValidate = ajv.compile(schema);
const ours = schemaValidator(schema as Record<string, unknown>);
let doc: PracticeExport;

beforeAll(async () => {
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  doc = await exportPractice(createLocalGitStore({ fs, dir: repo }), { practice: 'riverside', ref: head, now: demoNow });
  // The schema does not look inside the media's bytes (pd import checks them against the hash):
  // a short stand-in keeps the thousands of copies below quick.
  doc.media = doc.media.map((m) => ({ ...m, base64: 'iVBORw0KGgo=' }));
});

/** Where each validator finds problems, in the same terms: the value's JSON Pointer. */
function places(d: unknown): { ajv: string[]; ours: string[] } {
  const a = ajvValidate(d)
    ? []
    : ajvValidate.errors!.filter((e) => e.keyword !== 'if').map((e) => (e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath));
  return { ajv: [...new Set(a)].sort(), ours: [...new Set(ours(d).map((p) => p.path))].sort() };
}

const wrong = (v: unknown): unknown[] => {
  if (typeof v === 'string') return [42, null, [v]];
  if (typeof v === 'number') return [String(v), 1.5, -1e9];
  if (typeof v === 'boolean') return [String(v), 0];
  if (Array.isArray(v)) return [{}, 'list', v.length ? [null] : [7]];
  return ['object', []];
};

describe('the export schema validator', () => {
  it('accepts the real export, as Ajv does', () => {
    expect(places(doc)).toEqual({ ajv: [], ours: [] });
  });

  it('refuses every damaged copy Ajv refuses, at the same places', () => {
    let cases = 0;
    const check = (change: (d: any) => void) => {
      const d = structuredClone(doc) as any;
      change(d);
      const p = places(d);
      expect(p.ours).toEqual(p.ajv);
      cases++;
      return p;
    };
    // Two items of each collection: every type in the schema, without thousands of copies.
    const sample = [...doc.items.entries()].filter(([i, item]) => doc.items.findIndex((x) => x.collection === item.collection) >= i - 1);
    for (const [i, item] of sample) {
      for (const [key, value] of Object.entries(item.data)) {
        for (const bad of wrong(value)) check((d) => (d.items[i].data[key] = bad));
        check((d) => delete d.items[i].data[key]);
      }
      check((d) => (d.items[i].data.surprise = 'x'));
      for (const key of ['collection', 'path', 'slug', 'source', 'body', 'url'] as const) {
        check((d) => delete d.items[i][key]);
        check((d) => (d.items[i][key] = 7));
      }
      check((d) => (d.items[i].collection = 'pages'));
      check((d) => (d.items[i].path = `pages/${i}.md`));
    }
    for (const key of ['path', 'type', 'size', 'sha256', 'base64']) {
      check((d) => delete d.media[0][key]);
      for (const bad of wrong((doc.media[0] as unknown as Record<string, unknown>)[key])) check((d) => (d.media[0][key] = bad));
    }
    for (const key of ['format', 'version', 'practice', 'exportedAt', 'commit', 'profile', 'items', 'media', 'history']) check((d) => delete d[key]);
    check((d) => (d.history.files[0].changes = 0));
    check((d) => (d.history.first.author = { name: 'x' }));
    check((d) => (d.commit.oid = 'HEAD'));
    // Refused, not just compared: none of the damage above passes.
    expect(new Set(sample.map(([, item]) => item.collection)).size).toBe(7);
    expect(cases).toBeGreaterThan(400);
  });

  it('refuses a schema that uses a keyword it does not know, rather than skip it', () => {
    expect(() => schemaValidator({ type: 'object', properties: { a: { type: 'string', format: 'email' } } })).toThrow(/"format", which this validator does not know/);
  });
});
