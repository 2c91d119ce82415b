// The Content-Security-Policy is computed from the built pages, not written by hand: if a page
// carries an inline script or style block, its hash is allowed and nothing else is. Inline style
// attributes cannot be allowed without 'unsafe-hashes', so the build refuses them instead.
import type { Inspection } from './inspect-html.ts';

export function contentSecurityPolicy(f: Pick<Inspection, 'scriptHashes' | 'styleHashes'>): string {
  const list = (s: Set<string>) => [...s].sort().join(' ');
  return [
    "default-src 'none'",
    `script-src 'self'${f.scriptHashes.size ? ' ' + list(f.scriptHashes) : ''}`,
    `style-src 'self'${f.styleHashes.size ? ' ' + list(f.styleHashes) : ''}`,
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "base-uri 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}
