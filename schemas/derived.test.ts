import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import matter from 'gray-matter';
import { derivedFiles } from '../build/generate/derived-files.ts';
import { practiceTree } from '../test/support/content-copy.ts';
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
});
