// The portal's `_headers`: the content editor's looser CSP on /cms/* only, the same result in the
// local server as on Cloudflare Pages (both apply a rule's `!` lines before its headers; a check
// against `wrangler pages dev` showed the same two policies).
import { describe, expect, it } from 'vitest';
import { headersFor, parseHeadersFile } from '../../lib/pages/headers-file.ts';
import { cmsCsp, portalCsp, portalHeadersFile } from './build-portal.ts';

const authUrl = 'https://project.supabase.co';
const rules = parseHeadersFile(portalHeadersFile(authUrl));
const csp = (path: string) => headersFor(rules, path).get('content-security-policy')?.value;

describe("the portal's headers", () => {
  it("give the content editor Decap's CSP, and every other path the portal's strict one", () => {
    for (const p of ['/cms/', '/cms/index.html', '/cms/assets/cms-ABC.js']) expect(csp(p), p).toBe(cmsCsp(authUrl));
    for (const p of ['/', '/members/', '/accept/', '/assets/portal-1.css', '/portal-config.json', '/cmsx/', '/nowhere']) expect(csp(p), p).toBe(portalCsp(authUrl));
  });

  it("relax only what Decap needs, and reach no other origin than the sign-in service's", () => {
    expect(cmsCsp(authUrl)).toBe(
      "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self' blob: https://project.supabase.co; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    const other = headersFor(rules, '/cms/');
    expect(other.get('x-frame-options')?.value).toBe('DENY');
    expect(other.get('referrer-policy')?.value).toBe('no-referrer');
    expect(headersFor(rules, '/cms/assets/cms-ABC.js').get('cache-control')?.value).toBe('public, max-age=31536000, immutable');
  });

  it('swaps the CSP with `!` in the same rule that sets the new one (so the two never join)', () => {
    expect(portalHeadersFile(authUrl)).toMatch(/\/cms\/\*\n(\s+.*\n)*?\s+! Content-Security-Policy\n(\s+.*\n)*?\s+Content-Security-Policy: /);
    expect(csp('/cms/')).not.toContain(', ');
  });
});
