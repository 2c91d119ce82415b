/** One thing wrong with the content, said so that an editor can put it right. */
export interface Problem {
  /** Repository-relative path of the file. */
  file: string;
  /** 1-based line, when the problem can be placed. */
  line?: number;
  /** Dotted path of the field, e.g. `premises.0.phone`; empty for the whole file. */
  field: string;
  message: string;
  fix: string;
  severity: 'error' | 'warning';
}

/** `path:line: field: message — how to fix` */
export function formatProblem(p: Problem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  const field = p.field ? `${p.field}: ` : '';
  const level = p.severity === 'warning' ? 'warning: ' : '';
  return `${where}: ${level}${field}${p.message} — ${p.fix}`;
}

export const hasErrors = (problems: readonly Problem[]): boolean => problems.some((p) => p.severity === 'error');

/** Thrown when content cannot be used; carries every problem found, not just the first. */
export class ContentError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ContentError';
    this.problems = problems;
  }
}
