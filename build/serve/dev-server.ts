// The local stand-in for Cloudflare Pages: each practice's live revision on its own origin,
// http://<slug>.localhost:<port>/, with its `_headers` applied as Pages applies them. The live
// revision is resolved once per request, so a switch mid-request never mixes two revisions.
import { getRequestListener } from '@hono/node-server';
import { readFile, realpath } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RateLimiter } from '../../lib/chat/chat-app.ts';
import { headersFor, parseHeadersFile, type HeaderRule } from '../../lib/pages/headers-file.ts';
import type { RevisionStore } from '../publish/revision-store.ts';
import { serveFolder } from './static-folder.ts';

export interface DevServer {
  port: number;
  origin(slug: string): string;
  close(): Promise<void>;
}

export interface DevServerOptions {
  store: RevisionStore;
  host: string;
  port: number;
  practices: () => readonly string[];
  /** Applications served on their own origins, like `portal` at http://portal.localhost:<port>/. */
  apps?: Readonly<Record<string, http.RequestListener>>;
}

export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  const rulesCache = new Map<string, HeaderRule[]>();
  const rulesOf = async (folder: string) => {
    let rules = rulesCache.get(folder);
    if (!rules) {
      rules = parseHeadersFile(await readFile(path.join(folder, '_headers'), 'utf8').catch(() => ''));
      rulesCache.set(folder, rules);
    }
    return rules;
  };

  // The chatbot, as the Pages Function serves it: one app per practice and live revision, so a
  // new revision's chat-index.json is read afresh; the rate limit carries over between revisions.
  // Loaded on the first question, so the pages never depend on the chatbot's code.
  const chats = new Map<string, { folder: string; listener: http.RequestListener; limiter: RateLimiter }>();
  const chatFor = async (slug: string, folder: string) => {
    let chat = chats.get(slug);
    if (chat?.folder !== folder) {
      const { chatApp, tokenBucket } = await import('../../lib/chat/chat-app.ts');
      const { parseChatIndex } = await import('../../lib/chat/index-format.ts');
      const limiter = chat?.limiter ?? tokenBucket({ capacity: 20, perMinute: 20 });
      const sts = headersFor(await rulesOf(folder), '/').get('strict-transport-security')?.value ?? '';
      const app = chatApp({
        loadIndex: async () => parseChatIndex(await readFile(path.join(folder, 'chat-index.json'), 'utf8')),
        rateLimit: limiter,
        hstsPreload: sts.includes('preload'),
      });
      chat = { folder, limiter, listener: getRequestListener(app.fetch) };
      chats.set(slug, chat);
    }
    return chat.listener;
  };

  const server = http.createServer(async (req, res) => {
    try {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const slug = host.endsWith('.localhost') ? host.slice(0, -'.localhost'.length) : undefined;
      const app = slug ? o.apps?.[slug] : undefined;
      if (app) return app(req, res);
      if (slug && (req.url ?? '').split('?')[0] === '/api/chat') {
        const live = await o.store.liveFolder(slug);
        const folder = live ? await realpath(live).catch(() => undefined) : undefined;
        if (!folder || !o.practices().includes(slug)) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`There is no live site for "${slug}".\n`);
          return;
        }
        // Cloudflare's header names the client; here the socket does, whatever the request claims.
        req.headers['cf-connecting-ip'] = req.socket.remoteAddress ?? 'unknown';
        return (await chatFor(slug, folder))(req, res);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
        return;
      }
      if (!slug) return listPractices(res, o, port);
      const live = await o.store.liveFolder(slug);
      const folder = live ? await realpath(live).catch(() => undefined) : undefined;
      if (!folder || !o.practices().includes(slug)) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`There is no live site for "${slug}".\n`);
        return;
      }
      await serveFolder(folder, await rulesOf(folder), req, res);
    } catch (e) {
      // A dev server still never shows a stack trace to the browser.
      console.error(`server error: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Server error\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: (slug) => `http://${slug}.localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function listPractices(res: http.ServerResponse, o: DevServerOptions, port: number) {
  const items = [...o.practices(), ...Object.keys(o.apps ?? {})]
    .map((s) => `<li><a href="http://${s}.localhost:${port}/">${s}</a></li>`)
    .join('');
  res
    .writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
    })
    .end(`<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Practice sites</title></head><body><main><h1>Practice sites on this machine</h1><ul>${items}</ul></main></body></html>\n`);
}
