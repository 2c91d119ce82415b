// Reads YAML files and Markdown front matter into a position-aware document. YAML is read with
// the failsafe schema on purpose: every scalar stays the text the editor typed, so a phone number
// keeps its leading zero, `no` stays the word "no" and a date stays a date string. The content
// model then decides what each field means.
import matter from 'gray-matter';
import jsYaml from 'js-yaml';
import { LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Problem } from './problems.ts';

export interface SourceFile {
  file: string;
  /** The plain data (strings, arrays, objects) read from YAML. */
  data: unknown;
  /** Markdown body; undefined for YAML files. */
  body?: string;
  /** 1-based line on which the body starts. */
  bodyLine: number;
  /** Finds the line of a field path, falling back to its nearest existing parent. */
  lineOf(path: readonly (string | number)[]): number | undefined;
  problems: Problem[];
}

export function readSourceFile(file: string, text: string): SourceFile {
  const isMarkdown = file.endsWith('.md');
  let yamlText = text;
  let body: string | undefined;
  let bodyLine = 1;
  const problems: Problem[] = [];
  if (isMarkdown) {
    if (!/^---\r?\n/.test(text)) {
      problems.push({
        file,
        line: 1,
        field: '',
        message: 'has no front matter',
        fix: 'start the file with a line of three dashes, the fields, then another line of three dashes',
        severity: 'error',
      });
      return { file, data: {}, body: text, bodyLine: 1, lineOf: () => 1, problems };
    }
    // gray-matter only splits the file here; the YAML itself is read below so lines are known.
    const split = matter(text, { engines: { yaml: () => ({}) } });
    yamlText = split.matter;
    body = split.content;
    bodyLine = text.slice(0, text.length - split.content.length).split('\n').length;
  }
  // js-yaml reads the text several times faster; `yaml` is used only when positions are needed:
  // to report a syntax error, or to find the line of a field that has a problem.
  const fast = loadFast(yamlText);
  let positions: { doc: Document; lineCounter: LineCounter } | undefined;
  const parsePositions = () => {
    if (!positions) {
      const lineCounter = new LineCounter();
      positions = { doc: parseDocument(yamlText, { schema: 'failsafe', lineCounter, prettyErrors: false, uniqueKeys: true }), lineCounter };
    }
    return positions;
  };
  let data: unknown = fast.ok ? fast.data : undefined;
  if (!fast.ok) {
    const { doc, lineCounter } = parsePositions();
    for (const e of doc.errors) {
      problems.push({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        field: '',
        message: `the YAML cannot be read (${yamlReason(e.code, e.message)})`,
        fix: 'check the indentation and that every "key: value" pair has a colon and a space; put text with a colon in quotes',
        severity: 'error',
      });
    }
    data = doc.errors.length ? {} : doc.toJS();
  }
  data ??= {};
  if (!problems.length && (typeof data !== 'object' || Array.isArray(data))) {
    problems.push({ file, line: 1, field: '', message: 'does not hold a list of fields', fix: 'write one "field: value" per line', severity: 'error' });
  }
  const lineOf = (path: readonly (string | number)[]) => {
    const { doc, lineCounter } = parsePositions();
    return locate(doc, lineCounter, path);
  };
  return { file, data: problems.length ? {} : data, body, bodyLine, lineOf, problems };
}

function loadFast(text: string): { ok: true; data: unknown } | { ok: false } {
  try {
    return { ok: true, data: jsYaml.load(text, { schema: jsYaml.FAILSAFE_SCHEMA }) };
  } catch {
    return { ok: false };
  }
}

function locate(doc: Document, lc: LineCounter, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
    const start = node?.range?.[0];
    if (start !== undefined) return lc.linePos(start).line;
  }
  return undefined;
}

function yamlReason(code: string, message: string): string {
  const first = message.split('\n')[0] ?? code;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}
