// The sign-in service's admin calls the platform makes: remove a member's second factors (a lost
// phone) and end all of a user's sessions (an incident). Supabase Auth's admin API, called with
// the service role key; the local sign-in service answers the same calls. Runtime-neutral (fetch).

export interface AuthAdmin {
  /** Removes every MFA factor of the user; returns how many there were. */
  deleteFactors(userId: string): Promise<number>;
  /**
   * Ends every session of the user, so their refresh tokens stop working. The local sign-in
   * service answers `POST /admin/users/:id/logout`; Supabase's admin API has no such call, so
   * against it this fails and the operator is told to sign the user out in the dashboard. Either
   * way the portal already refuses every token from a session that began before a revocation.
   */
  signOutUser(userId: string): Promise<void>;
}

export class AuthAdminError extends Error {
  override name = 'AuthAdminError';
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function authAdmin(o: { url: string; serviceKey: string; fetch?: typeof fetch }): AuthAdmin {
  const base = `${o.url.replace(/\/+$/, '')}/auth/v1/admin`;
  const call = async (method: string, path: string): Promise<unknown> => {
    const res = await (o.fetch ?? fetch)(`${base}${path}`, {
      method,
      headers: { apikey: o.serviceKey, Authorization: `Bearer ${o.serviceKey}` },
      signal: AbortSignal.timeout(10_000),
    });
    // The key and the user's details stay out of the message.
    if (!res.ok) throw new AuthAdminError(`the sign-in service refused the admin call (HTTP ${res.status})`);
    return res.status === 204 ? null : res.json().catch(() => null);
  };
  const checked = (userId: string) => {
    if (!uuid.test(userId)) throw new AuthAdminError('a user id must be a UUID');
    return userId;
  };
  return {
    async deleteFactors(userId) {
      const id = checked(userId);
      const listed = await call('GET', `/users/${id}/factors`);
      const factors = (Array.isArray(listed) ? listed : ((listed as { factors?: unknown[] } | null)?.factors ?? [])) as { id?: unknown }[];
      for (const f of factors) if (typeof f.id === 'string') await call('DELETE', `/users/${id}/factors/${encodeURIComponent(f.id)}`);
      return factors.length;
    },
    async signOutUser(userId) {
      await call('POST', `/users/${checked(userId)}/logout`);
    },
  };
}
