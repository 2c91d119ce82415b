// GoTrue's error responses. A client that sends `X-Supabase-Api-Version: 2024-01-01` or later
// (supabase-js does) gets `{ code: "<error code>", message }`; older clients get
// `{ code: <status>, error_code, msg }`. OAuth-style failures are `{ error, error_description }`.

export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
const API_VERSION_2024 = '2024-01-01';

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class OAuthError extends Error {
  override name = 'OAuthError';
  readonly error: string;
  constructor(error: string, description: string) {
    super(description);
    this.error = error;
  }
}

/** The API version a request asked for, when it is a valid date on or after 2024-01-01. */
export function requestedApiVersion(header: string | undefined): string | undefined {
  if (!header || !/^2\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(header)) return undefined;
  return header >= API_VERSION_2024 ? API_VERSION_2024 : undefined;
}

export function errorBody(e: ApiError, apiVersion: string | undefined): Record<string, unknown> {
  if (apiVersion) return { code: e.code, message: e.message };
  return { code: e.status, error_code: e.code, msg: e.message };
}

// The errors the issuer raises, with GoTrue's codes and wording.
export const errors = {
  badJson: () => new ApiError(400, 'bad_json', 'Could not parse request body as JSON'),
  invalidEmail: () => new ApiError(400, 'validation_failed', 'Unable to validate email address: invalid format'),
  validation: (message: string) => new ApiError(400, 'validation_failed', message),
  otpExpired: () => new ApiError(403, 'otp_expired', 'Token has expired or is invalid'),
  signupsDisabled: () => new ApiError(422, 'otp_disabled', 'Signups not allowed for otp'),
  emailRateLimit: (seconds: number) =>
    new ApiError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${seconds} seconds.`),
  refreshNotFound: () => new ApiError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found'),
  refreshAlreadyUsed: () => new ApiError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used'),
  noAuthorization: () => new ApiError(401, 'no_authorization', 'This endpoint requires a valid Bearer token'),
  badJwt: (reason: string) => new ApiError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${reason}`),
  userNotFound: () => new ApiError(403, 'user_not_found', 'User from sub claim in JWT does not exist'),
  sessionNotFound: () => new ApiError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist'),
  flowStateNotFound: () => new ApiError(404, 'flow_state_not_found', 'invalid flow state, no valid flow state found'),
  flowStateExpired: () => new ApiError(400, 'flow_state_expired', 'invalid flow state, flow state has expired'),
  badCodeVerifier: () => new ApiError(400, 'bad_code_verifier', 'code challenge does not match previously saved code verifier'),
  emailSendFailed: () => new ApiError(500, 'unexpected_failure', 'Error sending magic link email'),
  notFound: () => new ApiError(404, 'not_found', 'Not Found'),
  // Multi-factor authentication.
  factorNotFound: () => new ApiError(404, 'mfa_factor_not_found', 'Factor not found'),
  factorIdNotUuid: () => new ApiError(404, 'validation_failed', 'factor_id must be an UUID'),
  challengeNotFound: () => new ApiError(422, 'mfa_factor_not_found', 'MFA factor with the provided challenge ID not found'),
  challengeExpired: (id: string) =>
    new ApiError(422, 'mfa_challenge_expired', `MFA challenge ${id} has expired, verify against another challenge or create a new challenge.`),
  totpWrong: () => new ApiError(422, 'mfa_verification_failed', 'Invalid TOTP code entered'),
  // GoTrue has no separate code for a replayed TOTP code; the message says what happened.
  totpReused: () => new ApiError(422, 'mfa_verification_failed', 'Invalid TOTP code entered: this code has already been used, wait for the next one'),
  mfaTooManyAttempts: (seconds: number) =>
    new ApiError(429, 'over_request_rate_limit', `Too many MFA verification attempts. Try again in ${seconds} seconds.`),
  aal2ToEnrol: () => new ApiError(403, 'insufficient_aal', 'AAL2 required to enroll a new factor'),
  aal2ToUnenrol: () => new ApiError(422, 'insufficient_aal', 'AAL2 required to unenroll verified factor'),
  factorNameConflict: (name: string) =>
    new ApiError(422, 'mfa_factor_name_conflict', `A factor with the friendly name ${JSON.stringify(name)} for this user already exists`),
  tooManyFactors: () => new ApiError(422, 'too_many_enrolled_mfa_factors', 'Maximum number of verified factors reached, unenroll to continue'),
  /** Phone and WebAuthn factors are off, as on a Supabase project that enables TOTP only. */
  factorTypeDisabled: (type: 'phone' | 'webauthn') =>
    new ApiError(422, `mfa_${type}_enroll_not_enabled`, `MFA enroll is disabled for ${type === 'phone' ? 'Phone' : 'WebAuthn'}`),
  // The admin API.
  notAdmin: () => new ApiError(403, 'not_admin', 'User not allowed'),
  adminDisabled: () =>
    new ApiError(403, 'not_admin', 'The admin API is off: start the local auth issuer with a serviceRoleKey and send it as the Bearer token'),
  adminUserNotFound: () => new ApiError(404, 'user_not_found', 'User not found'),
  methodNotAllowed: () => new ApiError(405, 'method_not_allowed', 'Method Not Allowed'),
  tooLarge: () => new ApiError(413, 'request_too_large', 'Request body is too large'),
  unexpected: () => new ApiError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information'),
};
