// The theme: Nunjucks with the NHS.UK design system's own component macros on its search path,
// and the option labels templates show for stored values.
import type { UserConfig } from '@11ty/eleventy';
import nunjucks from 'nunjucks';
import path from 'node:path';
import { createRequire } from 'node:module';
import { collections } from '../../schemas/model.ts';
import type { Fields, SelectField } from '../../schemas/dsl.ts';
import { MemoTag } from './memo-tag.ts';

export interface ThemeOptions {
  themeDir: string;
}

// Eleventy keeps compiled templates in a process-wide cache, and a compiled template keeps the
// Nunjucks environment that compiled it. So there is one environment per theme folder for the
// life of the process, and each run empties its loader's cache: an edited layout, partial or
// view is read again (pd start after a theme edit). The layout is a Nunjucks parent template for
// the same reason: Eleventy would cache an Eleventy layout's text by path for the process.
const environments = new Map<string, { env: nunjucks.Environment; loader: nunjucks.FileSystemLoader; memo: MemoTag }>();

function environmentFor(themeDir: string) {
  let found = environments.get(themeDir);
  if (!found) {
    const loader = new nunjucks.FileSystemLoader([themeDir, nhsukFrontendDist()]);
    const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: false });
    const memo = new MemoTag();
    env.addExtension('memo', memo);
    // nunjucks' own trim runs a backtracking regular expression; the design system's macros trim
    // every string they output, so the native trim saves real time on large builds.
    const { copySafeness } = nunjucks.runtime as unknown as { copySafeness(from: unknown, to: string): unknown };
    env.addFilter('trim', (s: unknown) => copySafeness(s, String(s ?? '').trim()));
    found = { env, loader, memo };
    environments.set(themeDir, found);
  }
  return found;
}

export default function theme(config: UserConfig, o: ThemeOptions): void {
  const { env, loader, memo } = environmentFor(o.themeDir);
  (loader as unknown as { cache: Record<string, unknown> }).cache = {};
  memo.cache.clear();
  config.setLibrary('njk', env);
  config.addGlobalData('labels', selectLabels());
}

/** The folder holding nhsuk-frontend's `nhsuk/` templates and assets. */
export function nhsukFrontendDist(): string {
  // `dist/nhsuk/index.scss` is the package's exported Sass entry; its grandparent is `dist/`.
  const entry = createRequire(import.meta.url).resolve('nhsuk-frontend/dist/nhsuk/index.scss');
  return path.dirname(path.dirname(entry));
}

/** `labels.role['gp-partner']` → "GP partner", for every select field in the model, by field name. */
function selectLabels(): Record<string, Record<string, string>> {
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
