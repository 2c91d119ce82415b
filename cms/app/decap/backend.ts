// Decap's backend for Practice Digital: Decap's own proxy backend (which speaks the protocol the
// gateway at POST /api/cms answers), with every call made as the signed-in person for the
// chosen practice. Each request carries the current Supabase access token (asked for each time,
// so a refreshed token is used) and the practice's slug beside Decap's `{ branch, action,
// params }`, and each save says which version of each file it started from (versions.ts). The
// gateway's refusals reach the person in its own words.
import { ProxyBackend, type ProxyPayload } from 'decap-cms-backend-proxy';
import { APIError } from 'decap-cms-lib-util';
import type { CmsUser } from './decap-user.ts';
import { FileVersions } from './versions.ts';

export interface PracticeBackendOptions {
  /** The chosen practice's slug; the gateway only ever acts inside its folder. */
  practice: string;
  /** The current access token, or undefined once the session has gone. */
  accessToken(): Promise<string | undefined>;
  /** Who is signed in, for Decap's user (commit authors, the workflow). */
  user(): Promise<CmsUser | undefined>;
  /** Ends the session (Decap's "Log out"). */
  signOut(): Promise<void>;
  /** The gateway no longer accepts the sign-in (or there is none): the page offers to sign in again. */
  onSignInEnded(): void;
  /** What Decap shows when nobody is signed in (it asks the backend for its login screen). */
  authComponent?: unknown;
  fetch?: typeof fetch;
}

/** The name Decap puts on errors from this backend. */
export const apiName = 'Practice Digital';
/** Decap shows messages after a colon ("Failed to load entries: …"), so they start in lower case. */
export const signInEndedMessage = 'your sign-in has ended, sign in again';

const timeoutMs = 60_000;

/** Decap writes an error into its messages with String(error): the gateway's words alone, not "API_ERROR: …". */
class GatewayRefusal extends APIError {
  override toString(): string {
    return this.message;
  }
}

export function practiceDigitalBackend(o: PracticeBackendOptions): typeof ProxyBackend {
  const ended = (): never => {
    o.onSignInEnded();
    throw new GatewayRefusal(signInEndedMessage, 401, apiName);
  };
  return class PracticeDigitalBackend extends ProxyBackend {
    readonly versions = new FileVersions();

    override async request(request: ProxyPayload): Promise<any> {
      const payload = this.versions.prepare(request);
      const token = await o.accessToken();
      if (!token) return ended();
      let response: Response;
      try {
        response = await (o.fetch ?? fetch)(this.proxyUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ branch: this.branch, ...payload, practice: o.practice }),
          cache: 'no-store',
          credentials: 'omit',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const why = (e as Error).name === 'TimeoutError' ? `it did not answer within ${timeoutMs / 1000} seconds` : 'check your connection';
        throw new GatewayRefusal(`the portal could not be reached (${why}): try again`, 0, apiName);
      }
      const answer = (await response.json().catch(() => undefined)) as { error?: unknown; message?: unknown } | undefined;
      if (response.ok) {
        this.versions.observe(payload, answer);
        return answer;
      }
      if (response.status === 401) return ended();
      // The gateway answers refusals as { error, message }, the message written for people.
      const message = typeof answer?.message === 'string' ? answer.message : `the portal answered with an error (status ${response.status}): try again`;
      throw new GatewayRefusal(message, response.status, apiName, typeof answer?.error === 'string' ? { error: answer.error } : {});
    }

    override async authenticate(): Promise<CmsUser> {
      return this.restoreUser();
    }

    /** Decap asks on start and after its login screen; the person is whoever supabase-js has signed in. */
    override async restoreUser(): Promise<CmsUser> {
      const user = await o.user();
      if (!user) throw new Error(signInEndedMessage);
      return user;
    }

    override async logout(): Promise<void> {
      await o.signOut();
    }

    override authComponent(): unknown {
      return o.authComponent ?? super.authComponent();
    }
  };
}
