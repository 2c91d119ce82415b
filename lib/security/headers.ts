// The security headers of a practice site. One source for the `_headers` file the build writes
// and for Pages Functions, whose responses `_headers` does not reach.

export interface HeaderOptions {
  csp: string;
  hstsPreload: boolean;
}

export function securityHeaders(o: HeaderOptions): Record<string, string> {
  return {
    'Strict-Transport-Security': `max-age=63072000; includeSubDomains${o.hstsPreload ? '; preload' : ''}`,
    'Content-Security-Policy': o.csp,
    'X-Frame-Options': 'SAMEORIGIN',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy':
      'accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
