import { describe, expect, it } from 'vitest';
import { resolvePath } from './static-routing.ts';

const files = new Set(['index.html', 'about/index.html', 'assets/a.css', '404.html', '_headers', 'old.html']);
const resolve = (p: string) => resolvePath(p, async (f) => files.has(f));

describe('Pages static routing', () => {
  it('serves folder pages at their slash address and redirects the rest to it', async () => {
    expect(await resolve('/')).toEqual({ kind: 'file', file: 'index.html', status: 200 });
    expect(await resolve('/about/')).toEqual({ kind: 'file', file: 'about/index.html', status: 200 });
    expect(await resolve('/about')).toEqual({ kind: 'redirect', location: '/about/' });
    expect(await resolve('/about/index.html')).toEqual({ kind: 'redirect', location: '/about/' });
    expect(await resolve('/old.html')).toEqual({ kind: 'redirect', location: '/old' });
    expect(await resolve('/old')).toEqual({ kind: 'file', file: 'old.html', status: 200 });
  });

  it('answers 404 with the site page for missing, hidden or escaping paths', async () => {
    const notFound = { kind: 'file', file: '404.html', status: 404 };
    for (const p of ['/missing/', '/_headers', '/../etc/passwd', '/%2e%2e/x', '/%E0%A4%A', '/a\0b']) expect(await resolve(p), p).toEqual(notFound);
  });
});
