// `{% memo key %}…{% endmemo %}`: renders its body once per key for one Eleventy run and reuses
// the HTML. The page chrome (header, footer, emergency callout) is the same on every page of a
// practice apart from the current navigation item, so keying on those renders it once, not once
// per page. The key must name everything the body depends on.
import nunjucks from 'nunjucks';

interface Parser {
  nextToken(): { value: string };
  parseSignature(a: null, b: boolean): unknown;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
}
interface Nodes {
  CallExtension: new (ext: object, method: string, args: unknown, content: unknown[]) => unknown;
}

// What each key rendered, kept on globalThis (like the site data) so the build, which may load
// this module through another loader than Eleventy does, can inspect every fragment once
// instead of once per page that carries it.
const slot = Symbol.for('practice-digital.memo-fragments');
const holder = globalThis as unknown as Record<symbol, Map<string, string> | undefined>;

/** The fragments rendered since the last call, by key; starts a new collection. */
export function takeMemoFragments(): Map<string, string> {
  const fragments = holder[slot] ?? new Map<string, string>();
  holder[slot] = new Map();
  return fragments;
}

export class MemoTag {
  tags = ['memo'];
  readonly cache = new Map<string, unknown>();

  parse(parser: Parser, nodes: Nodes): unknown {
    const token = parser.nextToken();
    const args = parser.parseSignature(null, true);
    parser.advanceAfterBlockEnd(token.value);
    const body = parser.parseUntilBlocks('endmemo');
    parser.advanceAfterBlockEnd();
    return new nodes.CallExtension(this, 'run', args, [body]);
  }

  run(_context: unknown, key: string, body: () => string): unknown {
    let html = this.cache.get(key);
    if (html === undefined) {
      const text = body();
      html = new nunjucks.runtime.SafeString(text);
      this.cache.set(key, html);
      (holder[slot] ??= new Map()).set(key, text);
    }
    return html;
  }
}
