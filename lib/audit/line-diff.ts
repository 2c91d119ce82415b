// A line diff for `pd history`: Myers' algorithm (the one git uses by default) on the lines the
// two versions do not share at their start and end, printed as a unified diff with three lines
// of context, like `git diff`. Small on purpose, so the audit needs no diff dependency.

export type LineOp = { kind: ' ' | '-' | '+'; text: string };

/** Above this many differences the middle of the files is shown as removed and added whole. */
const maxEdits = 4000;

function lines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === '') return { lines: [], finalNewline: true };
  const all = text.split('\n');
  const finalNewline = all[all.length - 1] === '';
  if (finalNewline) all.pop();
  return { lines: all.map((l) => l.replace(/\r$/, '')), finalNewline };
}

/** The edit script from `a` to `b`, line by line. */
export function diffLines(a: readonly string[], b: readonly string[]): LineOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: LineOp[] = a.slice(0, start).map((text) => ({ kind: ' ', text }));
  ops.push(...middle(a.slice(start, endA), b.slice(start, endB)));
  ops.push(...a.slice(endA).map((text) => ({ kind: ' ' as const, text })));
  return ops;
}

function middle(a: readonly string[], b: readonly string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [...a.map((text) => ({ kind: '-' as const, text })), ...b.map((text) => ({ kind: '+' as const, text }))];
  const max = Math.min(n + m, maxEdits);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b);
    }
  }
  // Too different to be worth lining up: everything removed, then everything added.
  return [...a.map((text) => ({ kind: '-' as const, text })), ...b.map((text) => ({ kind: '+' as const, text }))];
}

function backtrack(trace: Int32Array[], a: readonly string[], b: readonly string[]): LineOp[] {
  const out: LineOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const snap = trace[d]!;
    const at = (k: number) => snap[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ kind: ' ', text: a[x - 1]! });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) out.push({ kind: '+', text: b[y - 1]! });
      else out.push({ kind: '-', text: a[x - 1]! });
    }
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

export interface UnifiedDiffOptions {
  /** Labels for the two sides, e.g. `a/content/...` and `b/content/...`; `/dev/null` for none. */
  fromLabel: string;
  toLabel: string;
  context?: number;
}

/**
 * A unified diff from `before` to `after` (`undefined`: the file did not exist); an empty string
 * when they are the same.
 */
export function unifiedDiff(before: string | undefined, after: string | undefined, o: UnifiedDiffOptions): string {
  if (before === after) return '';
  const context = o.context ?? 3;
  const A = lines(before ?? '');
  const B = lines(after ?? '');
  const ops = diffLines(A.lines, B.lines);
  // Mark the last line of a side without a final newline, as git does.
  const noNewlineA = before !== undefined && before !== '' && !A.finalNewline;
  const noNewlineB = after !== undefined && after !== '' && !B.finalNewline;
  if (A.finalNewline !== B.finalNewline && ops.length && ops[ops.length - 1]!.kind === ' ' && before !== undefined && after !== undefined) {
    const last = ops.pop()!;
    ops.push({ kind: '-', text: last.text }, { kind: '+', text: last.text });
  }
  const out = [`--- ${before === undefined ? '/dev/null' : o.fromLabel}`, `+++ ${after === undefined ? '/dev/null' : o.toLabel}`];
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context overlaps into hunks.
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const last = hunks[hunks.length - 1];
    if (last && i - last[1] <= 2 * context + 1) last[1] = i;
    else hunks.push([i, i]);
  }
  // Line numbers on each side before each op.
  const lineA: number[] = [];
  const lineB: number[] = [];
  let la = 0;
  let lb = 0;
  for (const op of ops) {
    lineA.push(la);
    lineB.push(lb);
    if (op.kind !== '+') la++;
    if (op.kind !== '-') lb++;
  }
  const lastA = ops.reduce((n, op, i) => (op.kind !== '+' ? i : n), -1);
  const lastB = ops.reduce((n, op, i) => (op.kind !== '-' ? i : n), -1);
  for (const [first, last] of hunks) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(from, to + 1);
    const countA = slice.filter((op) => op.kind !== '+').length;
    const countB = slice.filter((op) => op.kind !== '-').length;
    const startA = countA === 0 ? lineA[from]! : lineA[from]! + 1;
    const startB = countB === 0 ? lineB[from]! : lineB[from]! + 1;
    out.push(`@@ -${startA}${countA === 1 ? '' : `,${countA}`} +${startB}${countB === 1 ? '' : `,${countB}`} @@`);
    for (let i = from; i <= to; i++) {
      const op = ops[i]!;
      out.push(`${op.kind}${op.text}`);
      if ((op.kind === '-' && noNewlineA && i === lastA) || (op.kind === '+' && noNewlineB && i === lastB) || (op.kind === ' ' && noNewlineA && noNewlineB && i === lastA))
        out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}
