// Answers a request from a folder of static files the way Cloudflare Pages answers from a
// deployment: its path rules (lib/pages/static-routing.ts), its default headers with the
// folder's `_headers` applied on top (lib/pages/headers-file.ts), and exact-path `_redirects`.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { headersFor, type HeaderRule } from '../../lib/pages/headers-file.ts';
import { contentTypeOf, resolvePath } from '../../lib/pages/static-routing.ts';

export type Redirects = ReadonlyMap<string, { location: string; status: number }>;

export async function serveFolder(
  folder: string,
  rules: readonly HeaderRule[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  redirects: Redirects = new Map(),
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://local');
  // Pages' own defaults for static assets; `_headers` rules apply on top of them.
  const headers: Record<string, string> = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=0, must-revalidate' };
  for (const { name, value } of headersFor(rules, url.pathname).values()) headers[name] = value;
  const redirect = redirects.get(url.pathname);
  if (redirect) {
    res.writeHead(redirect.status, { ...headers, Location: redirect.location + url.search }).end();
    return;
  }
  const exists = async (f: string) => (await stat(path.join(folder, f)).catch(() => undefined))?.isFile() ?? false;
  const r = await resolvePath(url.pathname, exists);
  if (r.kind === 'redirect') {
    res.writeHead(308, { ...headers, Location: r.location + url.search }).end();
    return;
  }
  if (r.kind === 'none') {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  const file = path.join(folder, r.file);
  const size = (await stat(file)).size;
  res.writeHead(r.status, { 'Content-Type': contentTypeOf(r.file), 'Content-Length': String(size), ...headers });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
