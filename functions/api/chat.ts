// POST /api/chat on every practice site: the chatbot (lib/chat/chat-app.ts) on Pages Functions.
// The app, its rate limiter and its loaded index live as long as the isolate does.
import type { Hono } from 'hono';
import type { AiBinding } from '../../lib/chat/answer.ts';
import { chatApp } from '../../lib/chat/chat-app.ts';
import { parseChatIndex } from '../../lib/chat/index-format.ts';

interface Env {
  /** The deployment's static files: chat-index.json is one of them. */
  ASSETS: { fetch(input: URL | Request | string): Promise<Response> };
  /** Workers AI, when the project binds it. */
  AI?: AiBinding;
  /** Optional model name for Workers AI. */
  CHAT_MODEL?: string;
  /** "false" where the practice's settings.hsts_preload is false, as in its `_headers`. */
  HSTS_PRELOAD?: string;
  /**
   * A Workers Analytics Engine dataset, when bound: one data point per reply, naming only what
   * happened (interrupted, answered, no answer, refused, rejected). Never anything of the message.
   */
  CHAT_COUNTERS?: { writeDataPoint(point: { blobs?: string[]; doubles?: number[]; indexes?: string[] }): void };
}

interface PagesContext {
  request: Request;
  env: Env;
}

let app: Hono | undefined;

function appFor({ request, env }: PagesContext): Hono {
  // The index is read from the same deployment's static files, so it always matches the pages.
  const indexUrl = new URL('/chat-index.json', request.url);
  app ??= chatApp({
    loadIndex: async () => {
      const r = await env.ASSETS.fetch(indexUrl);
      if (!r.ok) throw new Error(`chat-index.json: ${r.status}`);
      return parseChatIndex(await r.text());
    },
    ai: env.AI,
    model: env.CHAT_MODEL,
    ...(env.CHAT_COUNTERS ? { counters: { increment: (name) => env.CHAT_COUNTERS!.writeDataPoint({ blobs: [name], doubles: [1], indexes: [new URL(request.url).hostname] }) } } : {}),
    hstsPreload: env.HSTS_PRELOAD !== 'false',
  });
  return app;
}

export const onRequestPost = (context: PagesContext): Response | Promise<Response> => appFor(context).fetch(context.request);

/** Every other method gets the app's 405, with the same headers. */
export const onRequest = onRequestPost;
