// Calls to the portal API (same origin, /api/...) with the signed-in person's access token.
// The API answers errors as { error, message }; the message is written for people and shown as is.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Invitation, Member, Role } from '../../../lib/members/members.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export interface PracticeChoice {
  slug: string;
  name: string;
  /** Null for a platform admin who is not a member of the practice. */
  role: Role | null;
}

export interface PortalApi {
  practices(): Promise<PracticeChoice[]>;
  members(practice: string): Promise<{ members: Member[]; invitations: Invitation[] }>;
  invite(practice: string, body: { email: string; role: Role; name?: string; member_expires_at?: string }): Promise<{ invitation: Invitation }>;
  revoke(practice: string, email: string): Promise<{ revokedMemberships: number; revokedInvitations: number }>;
  accept(token: string): Promise<{ practice: string; role: Role }>;
  /** Any action of the CMS gateway (POST /api/cms) for a practice. */
  gateway<T>(practice: string, action: string, params?: Record<string, unknown>): Promise<T>;
  /** The practice's content export, as a file to save. */
  exportFile(practice: string): Promise<{ blob: Blob; filename: string }>;
  /** Posts an urgent notice through the CMS gateway, straight to the live site. */
  urgentNotice(practice: string, notice: { title: string; body: string; expires: string; placement: 'all' | 'home' }): Promise<{ message: string; path: string }>;
}

export function portalApi(client: SupabaseClient): PortalApi {
  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    const { data } = await client.auth.getSession();
    const token = data.session?.access_token;
    if (!token) throw new ApiError(401, 'unauthorised', 'your sign-in has ended: sign in again');
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
    } catch {
      throw new ApiError(0, 'network', 'the portal could not be reached: check your connection and try again');
    }
    const answer = (await res.json().catch(() => undefined)) as { error?: unknown; message?: unknown } | undefined;
    if (!res.ok)
      throw new ApiError(
        res.status,
        typeof answer?.error === 'string' ? answer.error : `http-${res.status}`,
        typeof answer?.message === 'string' ? answer.message : `the portal answered with an error (status ${res.status}): try again`,
      );
    return answer as T;
  };
  const at = (practice: string) => `/api/practices/${encodeURIComponent(practice)}`;
  return {
    practices: async () => (await call<{ practices: PracticeChoice[] }>('/api/practices')).practices,
    members: (practice) => call(`${at(practice)}/members`),
    invite: (practice, body) => call(`${at(practice)}/invitations`, body),
    revoke: (practice, email) => call(`${at(practice)}/revocations`, { email }),
    accept: (token) => call('/api/invitations/accept', { token }),
    gateway: (practice, action, params = {}) => call('/api/cms', { practice, action, params }),
    exportFile: async (practice) => {
      const { data } = await client.auth.getSession();
      const token = data.session?.access_token;
      if (!token) throw new ApiError(401, 'unauthorised', 'your sign-in has ended: sign in again');
      let res: Response;
      try {
        res = await fetch(`${at(practice)}/export`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store', credentials: 'omit' });
      } catch {
        throw new ApiError(0, 'network', 'the portal could not be reached: check your connection and try again');
      }
      if (!res.ok) {
        const answer = (await res.json().catch(() => undefined)) as { error?: unknown; message?: unknown } | undefined;
        throw new ApiError(res.status, String(answer?.error ?? `http-${res.status}`), typeof answer?.message === 'string' ? answer.message : `the export could not be made (status ${res.status})`);
      }
      const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${practice}-content.json`;
      return { blob: await res.blob(), filename };
    },
    urgentNotice: (practice, notice) => call('/api/cms', { practice, action: 'postUrgentNotice', params: notice }),
  };
}
