// Serves the built portal the way Cloudflare Pages serves a static deployment, as the local
// server does for the practice sites: the same path rules (lib/pages/static-routing.ts), the
// folder's `_headers` applied on top of Pages' defaults (lib/pages/headers-file.ts), and the
// exact-path rules of its `_redirects`.
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { parseHeadersFile, type HeaderRule } from '../../lib/pages/headers-file.ts';
import { serveFolder } from '../serve/static-folder.ts';

/** `/from /to 302` lines; only exact paths, which is all the portal uses. */
export function parseRedirects(text: string): Map<string, { location: string; status: number }> {
  const out = new Map<string, { location: string; status: number }>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [from, to, status] = line.split(/\s+/);
    if (from && to) out.set(from, { location: to, status: Number(status ?? 302) });
  }
  return out;
}

export function portalStaticListener(folder: string): http.RequestListener {
  return (req, res) => {
    serve(folder, req, res).catch((e: unknown) => {
      console.error(`portal server error: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Server error\n');
    });
  };
}

async function serve(folder: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  // Read on every request: small files, and a rebuilt portal is picked up at once.
  const rules = parseHeadersFile(await readFile(path.join(folder, '_headers'), 'utf8').catch(() => ''));
  const redirects = parseRedirects(await readFile(path.join(folder, '_redirects'), 'utf8').catch(() => ''));
  await serveFolder(folder, rules, req, res, redirects);
}
