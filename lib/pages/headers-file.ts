// Reads a Cloudflare Pages `_headers` file and applies it the way Pages does: every rule whose
// URL pattern matches adds its headers (values of a header set by several rules are joined with
// ", "), and `! Name` in a later rule removes a header an earlier rule set. Within one rule the
// removals come first, as in Pages' asset server, so a rule can replace a header outright
// (`! Content-Security-Policy` then its own `Content-Security-Policy`).

export interface HeaderRule {
  pattern: string;
  matcher: RegExp;
  set: [string, string][];
  detach: string[];
}

export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  let current: HeaderRule | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    if (!line.trim() || line.trim().startsWith('#')) return;
    if (!/^\s/.test(line)) {
      current = { pattern: line, matcher: patternToRegExp(line), set: [], detach: [] };
      rules.push(current);
      return;
    }
    if (!current) throw new Error(`_headers line ${i + 1}: a header comes before any URL pattern`);
    const body = line.trim();
    if (body.startsWith('!')) {
      current.detach.push(body.slice(1).trim().toLowerCase());
      return;
    }
    const colon = body.indexOf(':');
    if (colon <= 0) throw new Error(`_headers line ${i + 1}: "${body}" is not "Name: value"`);
    current.set.push([body.slice(0, colon).trim(), body.slice(colon + 1).trim()]);
  });
  return rules;
}

function patternToRegExp(pattern: string): RegExp {
  // Only path patterns are supported here; absolute URL patterns (https://host/path) match on path.
  const path = pattern.replace(/^https?:\/\/[^/]+/, '');
  let re = '';
  for (const part of path.split(/(\*|:[A-Za-z]\w*)/)) {
    if (part === '*') re += '(.*)';
    else if (part.startsWith(':')) re += '([^/]+)';
    else re += part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The headers the rules give a request path, with names as written in the file. */
export function headersFor(rules: readonly HeaderRule[], path: string): Map<string, { name: string; value: string }> {
  const out = new Map<string, { name: string; value: string }>();
  for (const rule of rules) {
    if (!rule.matcher.test(path)) continue;
    for (const d of rule.detach) out.delete(d);
    for (const [name, value] of rule.set) {
      const key = name.toLowerCase();
      const prev = out.get(key);
      out.set(key, { name, value: prev ? `${prev.value}, ${value}` : value });
    }
  }
  return out;
}
