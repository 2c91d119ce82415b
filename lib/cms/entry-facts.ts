// Facts about an entry file the gateway decides on: its title (for commit messages), whether it is
// clinical, and a notice's end. Read from the front matter with a strict YAML schema; a file whose
// front matter cannot be read counts as clinical, so a broken file never skips clinical review.
import yaml from 'js-yaml';

export interface EntryFacts {
  title?: string;
  clinical: boolean;
  expires?: string;
}

export function frontMatter(raw: string): Record<string, unknown> | undefined {
  const text = raw.replace(/^\uFEFF/, '');
  const m = /^---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(text);
  if (!m) return undefined;
  try {
    const data = yaml.load(m[1]!, { schema: yaml.CORE_SCHEMA });
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function entryFacts(path: string, raw: string | undefined): EntryFacts {
  if (raw === undefined) return { clinical: false };
  let data: Record<string, unknown> | undefined;
  if (/\.ya?ml$/.test(path)) {
    try {
      const parsed = yaml.load(raw, { schema: yaml.CORE_SCHEMA });
      data = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      data = undefined;
    }
  } else if (/\.md$/.test(path)) {
    data = frontMatter(raw);
  } else {
    return { clinical: false };
  }
  if (!data) return { clinical: true };
  const title = typeof data.title === 'string' ? data.title : typeof data.name === 'string' ? data.name : undefined;
  return {
    clinical: data.clinical === true || (data.clinical !== undefined && data.clinical !== false),
    ...(title ? { title } : {}),
    ...(typeof data.expires === 'string' ? { expires: data.expires } : {}),
  };
}
