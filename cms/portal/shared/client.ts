// The portal's sign-in client: the real @supabase/supabase-js, pointed at the auth URL the
// portal publishes in /portal-config.json (Supabase Auth in production, the local issuer in
// development).
//
// The session is kept in sessionStorage, not localStorage: it lasts while the tab is open
// (through reloads and between the portal's pages in that tab) and is forgotten when the tab is
// closed, so a shared computer in a surgery does not stay signed in. The cost is that a new tab
// means signing in again. See docs/portal.md.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';

export interface PortalConfig {
  /** The Supabase URL (supabase-js adds /auth/v1). */
  authUrl: string;
  /** The project's public anon key, which Supabase's gateway asks for; not a secret. */
  anonKey: string;
}

export async function loadConfig(): Promise<PortalConfig> {
  const res = await fetch('/portal-config.json', { cache: 'no-store', credentials: 'omit' });
  if (!res.ok) throw new Error(`the portal's settings could not be loaded (status ${res.status})`);
  const config = (await res.json()) as Partial<PortalConfig>;
  if (typeof config.authUrl !== 'string' || typeof config.anonKey !== 'string') throw new Error("the portal's settings are incomplete");
  return { authUrl: config.authUrl, anonKey: config.anonKey };
}

export function portalClient(config: PortalConfig): SupabaseClient {
  return createClient(config.authUrl, config.anonKey, {
    auth: {
      storage: window.sessionStorage,
      storageKey: 'pd-portal-session',
      persistSession: true,
      autoRefreshToken: true,
      // A sign-in link from the email redirects to the members page with the session in the
      // fragment (the implicit flow: a PKCE verifier kept in sessionStorage would be missing in
      // the new tab the link opens). The members page reads it itself, because supabase-js would
      // leave the tokens in the tab's history; on the invitation page the fragment is the token.
      detectSessionInUrl: false,
      flowType: 'implicit',
    },
  });
}
