import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import matter from 'gray-matter';
import { derivedFiles } from '../build/generate/derived-files.ts';
import { loadPractice } from '../lib/content/load-practice.ts';
import { memReader, practiceTree } from '../test/support/content-copy.ts';
import { repo } from '../test/support/demo-site.ts';

describe('files derived from the content model', () => {
  it('are up to date (run `pd generate` after changing schemas/model.ts)', async () => {
    for (const f of derivedFiles()) {
      const onDisk = await readFile(path.join(repo, f.path), 'utf8').catch(() => '(missing)');
      expect(onDisk, `${f.path} is stale: run "npm run generate"`).toBe(f.text);
    }
  });

  it('give JSON Schemas that accept the demo content and agree with the validator on a bad file', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const schemas = Object.fromEntries(derivedFiles().filter((f) => f.path.endsWith('.json')).map((f) => [path.basename(f.path), JSON.parse(f.text)]));
    const schemaFor = (file: string) =>
      file.endsWith('practice.yml') ? 'practice-profile.schema.json'
      : file.includes('/policies/accessibility') ? 'accessibility-statement.schema.json'
      : file.includes('/policies/') ? 'policy.schema.json'
      : `${{ pages: 'page', news: 'news-post', services: 'service', team: 'team-member', notices: 'notice' }[file.split('/').at(-2)!]}.schema.json`;
    const tree = await practiceTree('riverside');
    const data = (text: string, file: string) =>
      parseDocument(file.endsWith('.md') ? matter(text, { engines: { yaml: () => ({}) } }).matter : text, { schema: 'failsafe' }).toJS();
    let checked = 0;
    for (const [file, raw] of tree) {
      if (file.includes('/media/')) continue;
      const text = Buffer.from(raw, 'latin1').toString('utf8');
      const validate = ajv.compile(schemas[schemaFor(file)]);
      expect(validate(data(text, file)), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
    const bad = ajv.compile(schemas['notice.schema.json']);
    expect(bad({ title: 'x', severity: 'info', starts: '2026-01-01T09:00' })).toBe(false);
    expect(ajv.errorsText(bad.errors)).toMatch(/expires/);
  });

  it("give the export format a schema (strict) whose types are the content model's, as the loader types them", async () => {
    const files = derivedFiles();
    const exportSchema = JSON.parse(files.find((f) => f.path === 'schemas/json/export.schema.json')!.text);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addSchema(exportSchema);
    // Every file type has its typed twin in $defs, with the same fields.
    for (const f of files.filter((x) => /^schemas\/json\/.+\.schema\.json$/.test(x.path) && !x.path.endsWith('/export.schema.json'))) {
      const typeName = path.basename(f.path, '.schema.json').replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
      expect(Object.keys(exportSchema.$defs[typeName]?.properties ?? {}), typeName).toEqual(Object.keys(JSON.parse(f.text).properties));
    }
    const typed = (typeName: string, data: unknown) => ajv.validate({ $ref: `${exportSchema.$id}#/$defs/${typeName}` }, data);
    const { practice } = await loadPractice(memReader(await practiceTree('riverside')), 'riverside');
    const p = practice!;
    expect(typed('PracticeProfile', p.profile), ajv.errorsText()).toBe(true);
    const entries = { Page: p.pages, NewsPost: p.news, Service: p.services, TeamMember: p.team, Notice: p.notices, Policy: [p.policies.privacy, p.policies.cookies], AccessibilityStatement: [p.policies.accessibility] };
    for (const [typeName, list] of Object.entries(entries))
      for (const e of list as unknown as { file: string; data: Record<string, unknown> }[]) {
        const { body, ...data } = e.data;
        expect(typeof body).toBe('string');
        expect(typed(typeName, data), `${e.file}: ${ajv.errorsText()}`).toBe(true);
      }
    // Typed, not text: a boolean written as the word is refused here (the file schema accepts it).
    const frontMatter = (data: object) => Object.fromEntries(Object.entries(data).filter(([k]) => k !== 'body'));
    expect(typed('Page', frontMatter(p.pages[0]!.data))).toBe(true);
    expect(typed('Page', { ...frontMatter(p.pages[0]!.data), clinical: 'false' })).toBe(false);
    expect(ajv.errorsText()).toMatch(/clinical must be boolean/);
    expect(typed('Notice', { ...frontMatter(p.notices[0]!.data), starts: '2026-01-05T08:00' })).toBe(false);
    expect(ajv.errorsText()).toMatch(/starts must match pattern/);
  });
});
