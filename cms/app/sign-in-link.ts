// A sign-in link from the email ends on this page with the session in the fragment (or why it
// failed). It is taken at once and the address replaced, so neither the address bar nor the
// tab's history keeps the tokens: "Back" after signing out must not sign anyone in again. The
// members page does the same (cms/portal/members/members.ts).

export type FromLink = { access_token: string; refresh_token: string } | { error: string } | undefined;

export function takeSignInFromAddress(): FromLink {
  const params = new URLSearchParams(location.hash.slice(1));
  if (!params.has('access_token') && !params.has('error')) return undefined;
  history.replaceState(null, '', location.pathname + location.search);
  const accessToken = params.get('access_token');
  const refreshToken = params.get('refresh_token');
  if (accessToken && refreshToken) return { access_token: accessToken, refresh_token: refreshToken };
  return { error: params.get('error_description') ?? 'the link did not work' };
}

/** Takes a one-off flag (`?signed-out`) out of the address, saying whether it was there. */
export function takeFlag(name: string): boolean {
  const url = new URL(location.href);
  if (!url.searchParams.has(name)) return false;
  url.searchParams.delete(name);
  history.replaceState(null, '', url);
  return true;
}
