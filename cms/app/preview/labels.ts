// `labels.role['gp-partner']` → "GP partner": the words templates show for stored choices, for
// every select field in the content model, by field name. The build gives Eleventy the same
// object (build/eleventy/theme.ts); a test checks the two agree.
import type { Fields, SelectField } from '../../../schemas/dsl.ts';
import { collections } from '../../../schemas/model.ts';

export function selectLabels(): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const walk = (fields: Fields) => {
    for (const [key, f] of Object.entries(fields)) {
      const field = f.kind === 'list' ? f.of : f;
      if (field.kind === 'select') out[key === 'rating' ? 'cqc' : key] = labelsOf(field);
      if (field.kind === 'object') walk(field.fields);
    }
  };
  for (const c of collections) {
    if (c.kind === 'folder') walk(c.fields);
    else for (const f of c.files) walk(f.fields);
  }
  return out;
}

const labelsOf = (f: SelectField) => Object.fromEntries(f.options.map((o) => [o.value, o.label]));
