// The Pages Function's own wiring, in Node: the index comes from the deployment's static files,
// and with an Analytics Engine dataset bound each reply adds one data point naming only what
// happened — never anything of the message. (The same Function runs on workerd in chat-runtime.)
import { beforeAll, describe, expect, it } from 'vitest';
import { onRequestPost } from '../functions/api/chat.ts';
import { buildChatIndex } from '../lib/chat/index-builder.ts';
import { loadPractice } from '../lib/content/load-practice.ts';
import { fsReader } from '../build/node/fs-reader.ts';
import { demoNow, repo } from './support/demo-site.ts';

let indexJson: string;
const points: { blobs?: string[]; doubles?: number[]; indexes?: string[] }[] = [];
const env = {
  ASSETS: { fetch: async (u: URL | Request | string) => (String(u instanceof Request ? u.url : u).endsWith('/chat-index.json') ? new Response(indexJson) : new Response('no', { status: 404 })) },
  CHAT_COUNTERS: { writeDataPoint: (p: (typeof points)[number]) => void points.push(p) },
};
const ask = (message: string) =>
  onRequestPost({
    request: new Request('https://riverside.example/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.1' }, body: JSON.stringify({ message }) }),
    env,
  });

beforeAll(async () => {
  indexJson = JSON.stringify(buildChatIndex((await loadPractice(fsReader(repo), 'riverside')).practice!, { now: demoNow }));
});

describe('the chat Function', () => {
  it('answers from the deployment\'s own index and counts each reply without its words', async () => {
    const red = await ask("my dad's face has gone droopy");
    expect(red.status).toBe(200);
    expect(((await red.json()) as { kind: string }).kind).toBe('red-flag');
    const admin = await ask('how do I order a repeat prescription?');
    expect(((await admin.json()) as { kind: string }).kind).toBe('answer');
    expect(points.map((p) => p.blobs)).toEqual([['interrupted'], ['answered']]);
    expect(JSON.stringify(points)).not.toMatch(/droopy|prescription|dad/);
    expect(points.every((p) => p.indexes?.[0] === 'riverside.example')).toBe(true);
  });
});
