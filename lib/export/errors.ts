// Why an export was refused, with the HTTP status the portal answers with.
import type { Problem } from '../content/problems.ts';

export type ExportErrorCode = 'unknown-practice' | 'unknown-commit' | 'invalid-content' | 'forbidden';

const statuses = { 'unknown-practice': 404, 'unknown-commit': 404, 'invalid-content': 409, forbidden: 403 } as const;

export class ExportError extends Error {
  override name = 'ExportError';
  readonly code: ExportErrorCode;
  readonly status: (typeof statuses)[ExportErrorCode];
  /** For `invalid-content`: every problem the content checks found. */
  readonly problems: readonly Problem[];
  constructor(code: ExportErrorCode, message: string, problems: readonly Problem[] = []) {
    super(message);
    this.code = code;
    this.status = statuses[code];
    this.problems = problems;
  }
}
