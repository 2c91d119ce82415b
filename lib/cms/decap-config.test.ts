import { describe, expect, it } from 'vitest';
import { collections as model } from '../../schemas/model.ts';
import { decapConfig } from './decap-config.ts';

type Field = { name: string; widget: string; required?: boolean; pattern?: [string, string]; fields?: Field[]; options?: { value: string }[] };
type Collection = { name: string; folder?: string; files?: { name: string; file: string; fields: Field[] }[]; fields?: Field[] };

const config = decapConfig({ practice: 'riverside', backend: { name: 'proxy' } });
const collections = config.collections as Collection[];
const find = (fields: Field[] | undefined, name: string) => fields?.find((f) => f.name === name);

describe('the Decap configuration derived from the content model', () => {
  it('has every collection of the model, inside the chosen practice only', () => {
    expect(collections.map((c) => c.name)).toEqual(model.map((c) => c.name));
    expect(collections.find((c) => c.name === 'pages')!.folder).toBe('content/practices/riverside/pages');
    expect(JSON.stringify(config)).not.toMatch(/\{\{practice\}\}|content\/practices\/(?!riverside\/)/);
    expect(config.publish_mode).toBe('editorial_workflow');
  });

  it('carries the model\'s required fields, patterns and choices', () => {
    const profile = collections.find((c) => c.name === 'practice')!.files![0]!;
    expect(profile.file).toBe('content/practices/riverside/practice.yml');
    const ods = find(profile.fields, 'ods_code')!;
    expect(new RegExp(ods.pattern![0]).test('Z99901')).toBe(true);
    expect(new RegExp(ods.pattern![0]).test('Z9990')).toBe(false);
    expect(ods.pattern![1]).toMatch(/one capital letter and five digits/);
    expect(find(profile.fields, 'self_care')!.required).toBe(false);
    expect(find(profile.fields, 'name')!.required).toBeUndefined();
    const notices = collections.find((c) => c.name === 'notices')!;
    expect(find(notices.fields, 'expires')).toMatchObject({ widget: 'datetime' });
    expect(find(notices.fields, 'expires')!.required).toBeUndefined();
    expect(find(notices.fields, 'severity')!.options!.map((o) => o.value)).toEqual(['info', 'warning', 'urgent']);
  });

  it('refuses a practice name that could reach outside the content folder', () => {
    expect(() => decapConfig({ practice: '../riverside', backend: {} })).toThrow(/is not a practice slug/);
  });
});
