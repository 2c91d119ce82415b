// `pd start` as a newcomer runs it: builds, serves, and rebuilds only the practice whose file
// changed, while the other practices keep their revisions.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentCopy } from './support/content-copy.ts';
import { repo } from './support/demo-site.ts';

let content: string;
let tmp: string;
let child: ChildProcess;
let output = '';
let port = 0;

const waitFor = async (pattern: RegExp, from: number, ms = 30_000) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const m = pattern.exec(output.slice(from));
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`pd start did not print ${pattern} within ${ms} ms. It printed:\n${output}`);
};

const page = (slug: string, p: string) =>
  new Promise<string>((resolve, reject) => {
    import('node:http').then(({ request }) => {
      const req = request({ host: '127.0.0.1', port, path: p, headers: { Host: `${slug}.localhost:${port}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
  });

beforeAll(async () => {
  content = await contentCopy();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pd-start-'));
  child = spawn(process.execPath, ['build/cli/pd.ts', 'start', '--port', '0', '--no-portal'], {
    cwd: repo,
    env: { ...process.env, PD_CONTENT_ROOT: content, PD_STORE_DIR: path.join(tmp, 'store'), PD_DIST_DIR: path.join(tmp, 'dist') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  port = Number((await waitFor(/http:\/\/riverside\.localhost:(\d+)\//, 0, 60_000))[1]);
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await rm(tmp, { recursive: true, force: true });
  await rm(content, { recursive: true, force: true });
});

describe('pd start', () => {
  it('serves every demo practice on its own origin', async () => {
    expect(output).toMatch(/Checking and rendering 3 practices/);
    for (const slug of ['riverside', 'fellside', 'afon-teifi']) expect(await page(slug, '/')).toMatch(/<h1[^>]*>/);
  });

  it('rebuilds only the practice whose file changed, and serves the change', async () => {
    const file = path.join(content, 'content/practices/fellside/pages/appointments.md');
    const text = await readFile(file, 'utf8');
    const from = output.length;
    await writeFile(file, text.replace(/^title: .*$/m, 'title: Booking an appointment at Fellside'));
    await waitFor(/fellside: revision \S+ is live/, from);
    await waitFor(/Done in \d+ ms/, from);
    const rebuilt = output.slice(from);
    expect(rebuilt).toMatch(/Checking and rendering 1 practice\b/);
    expect(rebuilt).not.toMatch(/riverside: revision|afon-teifi: revision/);
    expect(await page('fellside', '/appointments/')).toMatch(/Booking an appointment at Fellside/);
  });

  it('keeps serving the last good revision when a change breaks the content', async () => {
    const file = path.join(content, 'content/practices/riverside/pages/appointments.md');
    const text = await readFile(file, 'utf8');
    const before = await page('riverside', '/appointments/');
    const from = output.length;
    await writeFile(file, `${text}\n<script>alert(1)</script>\n`);
    await waitFor(/appointments\.md:\d+: body: <script> is not allowed/, from);
    expect(await page('riverside', '/appointments/')).toBe(before);
  });

  // Last: the tests above need the server running.
  it('stops when asked to (Ctrl+C or SIGTERM): nothing it started keeps the process alive', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(code).toBe(0);
    expect(output).toMatch(/Stopped\./);
  });
});
