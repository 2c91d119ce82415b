// A refusal from the CMS gateway: the HTTP status, a short code for programs, and a message the
// CMS shows to the person as it is (so it says what is wrong and what to do).
export type GatewayStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422 | 423;

export class GatewayError extends Error {
  override name = 'GatewayError';
  readonly status: GatewayStatus;
  readonly code: string;
  readonly details: unknown;
  constructor(status: GatewayStatus, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (message: string) => new GatewayError(400, 'invalid-request', message);
export const forbidden = (message: string) => new GatewayError(403, 'forbidden', message);
export const notFound = (message: string) => new GatewayError(404, 'not-found', message);
export const conflict = (message: string, details?: unknown) => new GatewayError(409, 'conflict', message, details);
/** 423 Locked: the practice is frozen while a security incident is handled. */
export const frozen = (message: string) => new GatewayError(423, 'frozen', message);
