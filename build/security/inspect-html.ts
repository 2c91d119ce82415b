// One pass over a built page for everything the security output needs: the hashes of inline
// script and style blocks (for the CSP), what a strict CSP cannot allow (style attributes,
// event handlers), and anything loaded from another origin (the third-party gate).
import { createHash } from 'node:crypto';
import { Parser } from 'htmlparser2';
import { gateCss, isThirdParty, type GateFinding } from './third-party-gate.ts';

export interface Inspection {
  scriptHashes: Set<string>;
  styleHashes: Set<string>;
  /** Places that cannot be allowed by a strict policy (style attributes, event handlers). */
  refused: { file: string; what: string }[];
  thirdParty: GateFinding[];
}

export const emptyInspection = (): Inspection => ({ scriptHashes: new Set(), styleHashes: new Set(), refused: [], thirdParty: [] });

const embedding = new Set(['iframe', 'frame', 'object', 'embed', 'applet', 'portal', 'fencedframe']);
const media = new Set(['img', 'source', 'video', 'audio', 'track', 'input']);
const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function inspectHtml(file: string, html: string, origin: string, into: Inspection): void {
  const found = into.thirdParty;
  const check = (what: string, url: string | undefined) => {
    if (url && isThirdParty(url, origin)) found.push({ file, what, url });
  };
  let inline: 'script' | 'style' | undefined;
  let text = '';
  const parser = new Parser(
    {
      onopentag(name, a) {
        if (embedding.has(name)) found.push({ file, what: `<${name}> frame or embed`, url: a.src ?? a.data ?? '' });
        else if (name === 'script') check('script', a.src);
        else if (name === 'link') check(`<link rel="${a.rel ?? ''}">`, a.href);
        else if (name === 'form') check('form target', a.action);
        else if (name === 'meta' && /refresh/i.test(a['http-equiv'] ?? '')) found.push({ file, what: 'meta refresh', url: a.content ?? '' });
        if (media.has(name)) {
          check(`<${name}>`, a.src);
          if (a.srcset) for (const s of a.srcset.split(',')) check(`<${name}> srcset`, s.trim().split(/\s+/)[0]);
        }
        if (a.formaction) check('form target', a.formaction);
        if (a.style !== undefined) {
          into.refused.push({ file, what: `a style attribute on <${name}>` });
          found.push(...gateCss(file, a.style, origin));
        }
        for (const k in a) if (k.startsWith('on')) into.refused.push({ file, what: `an ${k} handler on <${name}>` });
        if ((name === 'script' && !a.src && (!a.type || /javascript|module/.test(a.type))) || name === 'style') {
          inline = name;
          text = '';
        }
      },
      ontext(t) {
        if (inline) text += t;
      },
      onclosetag(name) {
        if (inline && name === inline) {
          (inline === 'script' ? into.scriptHashes : into.styleHashes).add(hash(text));
          if (inline === 'style') found.push(...gateCss(file, text, origin));
          inline = undefined;
        }
      },
    },
    { decodeEntities: false, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
}
