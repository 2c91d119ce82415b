// Markdown to the prose a patient reads, as sentences, for the reading-age score. markdown-it
// (the parser the pages are rendered with) gives the structure, so headings, list items and
// table rows are separate units as they are on the page, and code, images, HTML tags
// and link addresses never reach the count. Each unit is then split into sentences.
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

const md = new MarkdownIt({ html: true, linkify: false });

/** Text that would end a sentence early if its full stops were taken as sentence ends. */
const abbreviations = ['e.g.', 'i.e.', 'etc.', 'a.m.', 'p.m.', 'approx.', 'dr.', 'mr.', 'mrs.', 'ms.', 'prof.', 'st.', 'no.', 'vs.', 'tel.', 'ext.', 'inc.', 'ltd.', 'jan.', 'feb.', 'mar.', 'apr.', 'jun.', 'jul.', 'aug.', 'sep.', 'sept.', 'oct.', 'nov.', 'dec.'];
/** Each abbreviation with its pattern, made once: at the start of the text or after a character that is not part of a word. */
const abbreviationPatterns: [string, RegExp][] = abbreviations.map((a) => [a, new RegExp(`(^|[^\\w])(${a.replace(/\./g, '\\.')})`, 'gi')]);
/** True for any text where one of the patterns could match: an abbreviation starting a word (its first letter after no letter, digit or "_"). */
const mayHoldAbbreviation = new RegExp(`\\b(?:${abbreviations.map((a) => a.replace(/\./g, '\\.')).join('|')})`, 'i');
/** Stands in for a full stop that does not end a sentence, while sentences are split. */
const heldStop = '\u2024';

/** Addresses and email addresses: not read as words by anyone. The trailing full stop of a sentence is left alone. */
const addressPattern = /\b(?:https?:\/\/|www\.)\S*[^\s.,;:!?)"'\u2019]|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\b(?:[a-z0-9-]+\.)+(?:uk|com|org|net|gov|nhs|example|io|info|scot|wales|cymru)(?:\/\S*[^\s.,;:!?)"'\u2019])?(?![\w-])/gi;

/** What every match of addressPattern contains: "://", "www.", "@", or a stop before one of its endings. */
const mayHoldAddress = /:\/\/|www\.|@|\.(?:uk|com|org|net|gov|nhs|example|io|info|scot|wales|cymru)/i;

/** Runs of white space as one space. Only a run, or a space other than " ", needs replacing, and most text has neither. */
const singleSpaced = (s: string): string => (/\s\s|[^\S ]/.test(s) ? s.replace(/\s+/g, ' ') : s);

/** The text of one block's inline tokens: link text kept, link addresses, code, images and tags dropped. */
function inlineText(tokens: readonly Token[]): string {
  let out = '';
  for (const t of tokens) {
    if (t.type === 'text') out += t.content;
    else if (t.type === 'softbreak' || t.type === 'hardbreak') out += ' ';
    // code_inline, image and html_inline (<abbr>, <br>…) carry no prose of their own here;
    // the words inside <abbr>…</abbr> are text tokens between the tags and are kept.
  }
  return out;
}

/** Each block of prose in the Markdown: a heading, a paragraph, a list item's paragraph, a table cell. */
export function proseBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const tokens = md.parse(stripFrontMatter(markdown), {});
  // A table row is read as one sentence, its cells joined, rather than each cell as a sentence of its own.
  let row: string[] | undefined;
  for (const t of tokens) {
    if (t.type === 'tr_open') row = [];
    else if (t.type === 'tr_close') {
      const text = row!.filter(Boolean).join(', ');
      if (text) blocks.push(text);
      row = undefined;
    } else if (t.type === 'inline') {
      const text = singleSpaced(inlineText(t.children ?? [])).trim();
      if (row) row.push(text);
      else if (text) blocks.push(text);
    } else if (t.type === 'html_block') {
      // Raw HTML blocks: the words between the tags, comments and scripts left out.
      const text = t.content
        .replace(/<!--[\s\S]*?-->/g, ' ')
        .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      if (text) blocks.push(text);
    }
    // fence and code_block: code is not prose.
  }
  return blocks;
}

/** A whole content file may be passed in; its YAML front matter is not part of the page text. */
function stripFrontMatter(markdown: string): string {
  return markdown.replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/, '');
}

/** Splits one block into sentences; a block that ends without a full stop is still one (a heading, a list item). */
export function sentencesOf(block: string): string[] {
  // Most blocks hold no address and none of the abbreviations: a quick look for what every match
  // must contain saves running each full pattern over every block.
  let text = mayHoldAddress.test(block) ? block.replace(addressPattern, ' ') : block;
  if (mayHoldAbbreviation.test(text)) {
    const lower = text.toLowerCase();
    for (const [a, pattern] of abbreviationPatterns) {
      if (lower.includes(a)) text = text.replace(pattern, (_, before: string, found: string) => before + found.replace(/\./g, heldStop));
    }
  }
  // Initials and single letters with stops ("J. Smith", "U.K.") do not end sentences either.
  text = text.replace(/\b([A-Z])\.(?=\s*[A-Z]\b|[A-Z]\.)/g, `$1${heldStop}`);
  // A decimal point or a time written with a stop ("8.30am") is not a sentence end.
  text = text.replace(/(\d)\.(?=\d)/g, `$1${heldStop}`);
  return text
    .split(/(?<=[.!?\u2026]+["'\u2019\u201d)]*)\s+/)
    .map((s) => {
      if (s.includes(heldStop)) s = s.replaceAll(heldStop, '.');
      return singleSpaced(s).trim();
    })
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** Every sentence of the page, in order. */
export function proseSentences(markdown: string): string[] {
  return proseBlocks(markdown).flatMap(sentencesOf);
}
