// The Content-Security-Policy is computed from the built pages, not written by hand: if a page
// carries an inline script or style block, its hash is allowed and nothing else is. Inline style
// attributes cannot be allowed without 'unsafe-hashes', so the build refuses them instead.
import { createHash } from 'node:crypto';
import { Parser } from 'htmlparser2';

export interface InlineFindings {
  scriptHashes: Set<string>;
  styleHashes: Set<string>;
  /** Places that cannot be allowed by a strict policy (style attributes, event handlers). */
  refused: { file: string; what: string }[];
}

export const emptyFindings = (): InlineFindings => ({ scriptHashes: new Set(), styleHashes: new Set(), refused: [] });

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function scanInline(file: string, html: string, into: InlineFindings): void {
  let open: 'script' | 'style' | undefined;
  let text = '';
  const parser = new Parser(
    {
      onopentag(name, a) {
        if ((name === 'script' && !a.src && (!a.type || /javascript|module/.test(a.type))) || name === 'style') {
          open = name;
          text = '';
        }
        if (a.style !== undefined) into.refused.push({ file, what: `a style attribute on <${name}>` });
        for (const k of Object.keys(a)) if (/^on/i.test(k)) into.refused.push({ file, what: `an ${k} handler on <${name}>` });
      },
      ontext(t) {
        if (open) text += t;
      },
      onclosetag(name) {
        if (open && name === open) {
          (open === 'script' ? into.scriptHashes : into.styleHashes).add(hash(text));
          open = undefined;
        }
      },
    },
    { decodeEntities: false },
  );
  parser.write(html);
  parser.end();
}

export function contentSecurityPolicy(f: InlineFindings): string {
  const list = (s: Set<string>) => [...s].sort().join(' ');
  return [
    "default-src 'none'",
    `script-src 'self'${f.scriptHashes.size ? ' ' + list(f.scriptHashes) : ''}`,
    `style-src 'self'${f.styleHashes.size ? ' ' + list(f.styleHashes) : ''}`,
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "base-uri 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}
