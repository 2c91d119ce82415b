// Markdown to safe HTML. Two layers on purpose: `findUnsafe` reports what an editor wrote that a
// patient page must not carry (with its line, so the editor can fix it), and `sanitize` is the
// allowlist every rendered page goes through regardless, so nothing unsafe reaches a page even if
// a check is missed.
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { Parser } from 'htmlparser2';

const allowedTags = [
  'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'strong', 'em', 'b', 'i', 'a', 'blockquote',
  'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'abbr', 'span', 'dl', 'dt', 'dd', 'sup', 'sub', 'del',
];
const allowedAttributes: Record<string, string[]> = {
  a: ['href', 'title', 'rel', 'hreflang', 'lang'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  abbr: ['title'],
  th: ['scope', 'colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
  span: ['lang'],
  p: ['lang'],
  '*': ['class'],
};
const allowedSchemes = ['https', 'http', 'mailto', 'tel', 'sms'];
const allowedClasses = /^nhsuk-[a-z0-9_-]+$/;

export interface UnsafeContent {
  /** 0-based line within the Markdown body. */
  line: number;
  message: string;
  fix: string;
}

export interface Rendered {
  html: string;
  unsafe: UnsafeContent[];
  /** Every link target written in the body, with its line. */
  links: { href: string; line: number }[];
}

const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
// markdown-it quietly turns `javascript:` links into plain text; we want to see them to report them.
md.validateLink = () => true;

// Tables get the design system's classes so they look like every other NHS.UK table.
const tableClasses: Record<string, string> = {
  table_open: 'nhsuk-table',
  thead_open: 'nhsuk-table__head',
  tbody_open: 'nhsuk-table__body',
  tr_open: 'nhsuk-table__row',
  th_open: 'nhsuk-table__header',
  td_open: 'nhsuk-table__cell',
};
// External links open no window reference back to the page and send no referrer.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const t = tokens[idx]!;
  if (/^https?:\/\//i.test(String(t.attrGet('href') ?? ''))) t.attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

for (const [rule, cls] of Object.entries(tableClasses)) {
  md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
    tokens[idx]!.attrJoin('class', cls);
    if (rule === 'th_open') tokens[idx]!.attrSet('scope', 'col');
    return self.renderToken(tokens, idx, options);
  };
}

export function renderMarkdown(source: string): Rendered {
  const tokens = md.parse(source, {});
  const unsafe: UnsafeContent[] = [];
  const links: { href: string; line: number }[] = [];
  let line = 0;
  const visit = (list: Token[]) => {
    for (const t of list) {
      if (t.map) line = t.map[0];
      if (t.type === 'html_block' || t.type === 'html_inline') checkHtml(t.content, line, unsafe, links);
      if (t.type === 'link_open') checkUrl(String(t.attrGet('href') ?? ''), 'link', line, unsafe, links);
      if (t.type === 'inline' && t.children) keepPhoneNumbersTogether(t.children);
      if (t.type === 'image') checkUrl(String(t.attrGet('src') ?? ''), 'image', line, unsafe, links);
      if (t.type === 'heading_open' && t.tag === 'h1')
        unsafe.push({ line, message: 'has a top-level heading (#)', fix: 'use ## for headings: the page title is the only top-level heading' });
      if (t.children) visit(t.children);
    }
  };
  visit(tokens);
  const html = md.renderer.render(tokens, md.options, {});
  // Without raw HTML, markdown-it's output is its own escaped markup, and every link in it has
  // passed the scheme allowlist above; the sanitiser would change nothing (a test checks this on
  // all the demo content), so its full parse is only paid where an editor wrote HTML or
  // something was refused.
  const raw = tokens.some((t) => t.type === 'html_block' || t.children?.some((c) => c.type === 'html_inline'));
  return { html: raw || unsafe.length ? sanitize(html) : html, unsafe, links };
}

/** A phone number split across two lines is misread: join its digit groups with no-break spaces. */
function keepPhoneNumbersTogether(children: Token[]) {
  let inPhoneLink = false;
  for (const c of children) {
    if (c.type === 'link_open') inPhoneLink = /^(tel|sms):/i.test(String(c.attrGet('href') ?? ''));
    else if (c.type === 'link_close') inPhoneLink = false;
    else if (inPhoneLink && c.type === 'text') c.content = c.content.replace(/ /g, '\u00a0');
  }
}

function checkUrl(href: string, what: string, line: number, unsafe: UnsafeContent[], links: Rendered['links']) {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  if (scheme && !allowedSchemes.includes(scheme)) {
    unsafe.push({
      line,
      message: `a ${what} to a "${scheme}:" address is not allowed`,
      fix: 'link only to web pages (https://), email (mailto:), phone (tel:) or text (sms:) addresses',
    });
    return;
  }
  if (what === 'image' && /^(https?:)?\/\//i.test(href)) {
    unsafe.push({ line, message: 'images must come from this site', fix: 'upload the image to the media library and use its /media/ path' });
    return;
  }
  links.push({ href, line });
}

function checkHtml(html: string, line: number, unsafe: UnsafeContent[], links: Rendered['links']) {
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (!allowedTags.includes(name)) {
          unsafe.push({
            line,
            message: `<${name}> is not allowed in page text`,
            fix: name === 'script' || name === 'iframe' || name === 'object' || name === 'embed' || name === 'form'
              ? 'remove it: patient pages never run or embed code from their content; link to the service instead'
              : 'write it in Markdown instead, or remove it',
          });
          return;
        }
        for (const [attr, value] of Object.entries(attribs)) {
          if (/^on/i.test(attr)) {
            unsafe.push({ line, message: `the "${attr}" attribute runs code and is not allowed`, fix: 'remove the attribute' });
          } else if (attr === 'style') {
            unsafe.push({ line, message: 'inline styles are not allowed', fix: 'remove the style attribute; the theme styles the page' });
          } else if (attr === 'href' || attr === 'src') {
            checkUrl(value, attr === 'src' ? 'image' : 'link', line, unsafe, links);
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
}

/** The allowlist every rendered body goes through; external links get `rel="noopener noreferrer"`. */
export function sanitize(html: string): string {
  return sanitizeHtml(html, {
    allowedTags,
    allowedAttributes,
    allowedClasses: { '*': [allowedClasses] },
    allowedSchemes,
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (tagName, attribs) => {
        const external = /^https?:\/\//i.test(attribs.href ?? '');
        return { tagName, attribs: external ? { ...attribs, rel: 'noopener noreferrer' } : withoutRel(attribs) };
      },
    },
  });
}

function withoutRel(attribs: Record<string, string>): Record<string, string> {
  const { rel: _rel, ...rest } = attribs;
  return rest;
}
