import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem } from '../../../lib/content/problems.ts';
import { listPractices } from '../../../lib/content/load-practice.ts';
import { buildSites } from '../../pipeline/build-sites.ts';
import { fsReader } from '../../node/fs-reader.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import { revisionStore } from '../../publish/revision-store.ts';
import { startDevServer } from '../../serve/dev-server.ts';
import { startLocalPortal } from '../../serve/local-portal.ts';
import { rebuildQueue, targetOf } from '../../serve/rebuild-queue.ts';
import { demoMembers } from '../../serve/demo-members.ts';
import { timedRebuilds } from '../../serve/timed-rebuilds.ts';
import type { Command } from '../commands.ts';

export const start: Command = {
  summary: 'Build every practice, serve each on its own local origin, and rebuild on change',
  usage: 'start [--port <n>] [--no-watch]',
  help: [
    'Builds every practice, then serves each live revision at http://<slug>.localhost:<port>/ with',
    'its _headers applied as Cloudflare Pages applies them. Watches content/ and rebuilds only the',
    'practice that changed (all of them when themes/ or schemas/ change). Also starts the portal at',
    'http://portal.localhost:<port>/ (the CMS at /cms/, urgent notices, members, and the API) with the',
    'embedded database and a local sign-in service whose emails go to the outbox folder. The CMS',
    "commits to this repository's main branch; each commit rebuilds that practice. Demo people are",
    'added for signing in (set PD_DEMO_MEMBERS=off to skip). Stop it with Ctrl+C.',
    '',
    'Options:',
    '  --port <n>    port to listen on (default 8787, or PD_PORT)',
    '  --no-watch    serve without watching for changes',
    '  --no-portal   serve the practice sites only (no database, sign-in or portal API)',
    '  --auth-port <n>  port of the local sign-in service (default 54321)',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string' }, 'no-watch': { type: 'boolean' }, 'no-portal': { type: 'boolean' }, 'auth-port': { type: 'string' } },
    });
    const root = repoRoot();
    const settings = loadSettings(root, values.port ? { ...process.env, PD_PORT: values.port } : process.env);
    const store = revisionStore(settings.storeDir);
    const log = (m: string) => console.log(`${new Date().toLocaleTimeString('en-GB')}  ${m}`);
    const contentRoot = settings.contentRoot;
    let practices = await listPractices(fsReader(contentRoot));

    // Notices start and end by the clock: each build plans the practice's next rebuild.
    let queue: ReturnType<typeof rebuildQueue> | undefined;
    const timed = timedRebuilds({ contentRoot, log, rebuild: (p) => queue?.add(p) });
    const buildNow = async (which: string[] | 'all') => {
      practices = await listPractices(fsReader(contentRoot));
      const report = await buildSites({ root, contentRoot, settings, store, practices: which === 'all' ? undefined : which.filter((p) => practices.includes(p)), onProgress: log });
      for (const p of report.practices) for (const problem of p.problems) log(formatProblem(problem));
      log(`Done in ${Math.round(report.ms)} ms${report.practices.some((p) => !p.ok) ? ' (failed practices keep their previous revision)' : ''}`);
      await timed.plan(report.practices.map((p) => p.slug)).catch((e: Error) => log(`Could not plan notice rebuilds: ${e.message}`));
    };

    await buildNow('all');
    queue = rebuildQueue(buildNow);
    const rebuilds = queue;
    const portal = values['no-portal']
      ? undefined
      : await startLocalPortal(root, settings, Number(values['auth-port'] ?? 54321), {
          log,
          demoMembers: process.env.PD_DEMO_MEMBERS !== 'off',
          // Sign-in emails go through the Send Email hook, as Supabase sends them in production.
          sendEmailHook: true,
          // Publish on commit: a CMS commit on main rebuilds that practice and switches it live.
          onPublished: ({ practice, commit }) => {
            log(`Published ${practice} at ${commit.slice(0, 7)}; rebuilding`);
            rebuilds.add(practice);
          },
        });
    const server = await startDevServer({
      store,
      host: settings.host,
      port: settings.port,
      practices: () => practices,
      apps: portal ? { portal: portal.listener } : {},
    });
    console.log('\nPractice sites:');
    for (const p of practices) console.log(`  ${server.origin(p)}/`);
    if (portal) {
      console.log(`\nCMS: ${server.origin('portal')}/cms/`);
      console.log('repository' in portal.cms ? `  commits to the main branch of ${portal.cms.repository}` : `  off: ${'off' in portal.cms ? portal.cms.off : ''}`);
      if (process.env.PD_DEMO_MEMBERS !== 'off' && portal.database.kind === 'pglite') {
        console.log('  demo sign-ins (the 6-digit code arrives in the emails folder below):');
        for (const m of demoMembers) console.log(`    ${m.email.padEnd(36)} ${m.role.replace('_', ' ')} at ${m.practice}`);
        console.log(`  managers and reviewers first set up two-step sign-in (any authenticator app): ${server.origin('portal')}/account/`);
      }
      console.log(`Practice dashboard: ${server.origin('portal')}/dashboard/`);
      console.log(`Urgent notices: ${server.origin('portal')}/notices/`);
      console.log(`Portal (members): ${server.origin('portal')}/members/`);
      console.log(`Portal API:  ${server.origin('portal')}/api/`);
      console.log(`Local sign-in (Supabase Auth stand-in): ${portal.authUrl}`);
      console.log(`Emails (sign-in codes, invitations): ${settings.outboxDir}`);
    }
    console.log(`\nEdit files under content/ and the changed practice rebuilds.${values['no-watch'] ? ' (Watching is off.)' : ''} Press Ctrl+C to stop.\n`);

    const watchers: FSWatcher[] = [];
    if (!values['no-watch']) {
      for (const [base, dir] of [[contentRoot, 'content'], [root, 'themes'], [root, 'schemas']] as const) {
        const watcher = watch(path.join(base, dir), { recursive: true }, (_event, file) => {
          if (!file) return;
          const target = targetOf(path.join(dir, file.toString()));
          if (target) {
            log(`Changed: ${path.join(dir, file.toString())}`);
            rebuilds.add(target);
          }
        });
        watchers.push(watcher);
      }
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    // Stop watching and let a running build finish, so nothing keeps the process alive.
    for (const w of watchers) w.close();
    timed.stop();
    await rebuilds.idle();
    await server.close();
    await portal?.close();
    log('Stopped.');
    return 0;
  },
};
