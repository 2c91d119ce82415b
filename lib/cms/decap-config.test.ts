import { describe, expect, it } from 'vitest';
import { collections as model } from '../../schemas/model.ts';
import { decapConfig } from './decap-config.ts';

type Field = { name: string; widget: string; min?: number; required?: boolean; pattern?: [string, string]; field?: Field; fields?: Field[]; options?: { value: string }[] };
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

  it('names the custom widgets where the model asks for them, keeping their nested fields for the widget to read', () => {
    const profile = collections.find((c) => c.name === 'practice')!.files![0]!;
    const hours = find(find(profile.fields, 'premises')!.fields, 'hours')!;
    expect(hours.widget).toBe('opening-hours');
    expect(hours.fields!.map((f) => f.name)).toEqual(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
    expect(find(find(profile.fields, 'online_consultation')!.fields, 'hours')!.widget).toBe('opening-hours');
    // The list of supplier links is drawn by the supplier-link widget (Decap's list cannot hand a custom widget a group).
    const services = find(profile.fields, 'online_services')!;
    expect(services).toMatchObject({ widget: 'supplier-link', min: 1 });
    expect(services.fields).toBeUndefined();
    expect(services.field).toMatchObject({ name: 'online_service', widget: 'supplier-link' });
    expect(services.field!.fields!.map((f) => f.name)).toEqual(['supplier', 'purpose', 'label', 'url']);
    for (const name of ['pages', 'services']) expect(find(collections.find((c) => c.name === name)!.fields, 'review_by')!.widget).toBe('review-date');
    for (const file of collections.find((c) => c.name === 'policies')!.files!) expect(find(file.fields, 'review_by')!.widget).toBe('review-date');
    // Plain groups keep Decap's own object widget.
    expect(find(profile.fields, 'contact')!.widget).toBe('object');
  });

  it('refuses a practice name that could reach outside the content folder', () => {
    expect(() => decapConfig({ practice: '../riverside', backend: {} })).toThrow(/is not a practice slug/);
  });
});
