// `pd tick`: the scheduled job. Time alone changes a site (a notice starts or ends, a page reaches
// its publish or remove time) and brings pages to their review date; this rebuilds only the
// practices whose live revision was built before such a moment, and emails review reminders to
// each practice's managers, each at most once per stage. Safe to run every hour, or every minute.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { momentsBetween } from '../../../lib/content/lifecycle.ts';
import { remindersToSend, reminderStage } from '../../../lib/content/lifecycle-reminders.ts';
import type { Database } from '../../../lib/db/database.ts';
import { listPractices, loadPractice } from '../../../lib/content/load-practice.ts';
import type { Practice } from '../../../lib/content/practice.ts';
import { reviewsDue, type ReviewDue } from '../../../lib/content/schedule.ts';
import type { Mailer } from '../../../lib/email/mailer.ts';
import { reviewsDueEmail } from '../../../lib/email/messages/reviews-due.ts';
import { outboxMailer } from '../../../lib/email/outbox-node.ts';
import { resendMailer } from '../../../lib/email/resend.ts';
import { membersService } from '../../../lib/members/members.ts';
import { openOperatorDatabase } from '../../db/open-database.ts';
import { fsReader } from '../../node/fs-reader.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings, type Settings } from '../../node/settings.ts';
import { buildSites } from '../../pipeline/build-sites.ts';
import { revisionStore } from '../../publish/revision-store.ts';
import type { Command } from '../commands.ts';

/** Reminders are looked for this many days ahead: the first stage is a month before. */
const reminderHorizonDays = 30;
/** Records of reminders older than this are dropped; their review dates are long past. */
const keepSentDays = 400;

interface PracticeTick {
  practice: string;
  /** When the live revision was built (or --since, when there is none here). */
  builtAt?: string;
  /** Scheduled moments after builtAt, up to now. */
  moments: string[];
  rebuild: boolean;
  reason: string;
  built?: { ok: boolean; revision?: string; problems: number };
  reminders: { due: ReviewDue[]; sentTo: string[]; note?: string };
}

interface SentState {
  version: 1;
  /** Reminder key → when it was sent. */
  sent: Record<string, string>;
}

export const tick: Command = {
  summary: 'The scheduled job: rebuild the sites that time has changed and send review reminders',
  usage: 'tick [practice] [--now <time>] [--since <time>] [--dry-run] [--json]',
  help: [
    'For each practice (or the one named), looks at what is scheduled: notices starting or ending,',
    'pages, services and news posts reaching their publish_at or expires time. If any of these',
    "moments fell after the practice's live revision was built, the practice is rebuilt (and its",
    'new revision goes live); the others are left alone.',
    '',
    'It then emails the practice managers (from the database; locally, to the outbox folder) a',
    '"pages due for review" message listing what has newly reached a reminder stage: 30 days',
    'before its review_by date, 7 days before, and on the day or after. Each page is reminded of',
    'once per stage, so running this every hour never sends the same reminder twice. What was',
    'sent is recorded in .pd/reminders-sent.json (or the file PD_TICK_STATE names).',
    '',
    'Options:',
    '  --now <time>    act as if it were this moment (ISO time, like 2027-01-04T09:00:00Z); for',
    '                  tests and for catching up',
    '  --since <time>  for a practice with no live revision here (a fresh CI runner), treat it as',
    '                  built at this time; without it such a practice is rebuilt',
    '  --dry-run       say what would be rebuilt and sent; build, send and record nothing',
    '  --json          print the outcome as JSON (progress goes to standard error)',
    '',
    'Emails go through Resend when RESEND_API_KEY and EMAIL_FROM are set, else to the outbox.',
    'Exits 1 if a practice does not load or a rebuild fails, 2 on a bad option.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { now: { type: 'string' }, since: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
    });
    const now = values.now === undefined ? new Date() : moment(values.now, '--now');
    const since = values.since === undefined ? undefined : moment(values.since, '--since');
    if (!now || (values.since !== undefined && !since)) return 2;
    const dryRun = values['dry-run'] ?? false;
    const say = values.json ? (m: string) => console.error(m) : (m: string) => console.log(m);

    const root = repoRoot();
    const settings = loadSettings(root);
    const reader = fsReader(settings.contentRoot);
    const all = await listPractices(reader);
    const wanted = positionals[0] ? [positionals[0]] : all;
    if (positionals[0] && !all.includes(positionals[0])) {
      console.error(`There is no practice "${positionals[0]}". Practices: ${all.join(', ')}`);
      return 2;
    }

    const store = revisionStore(settings.storeDir);
    const results: PracticeTick[] = [];
    const loaded = new Map<string, Practice>();
    let failed = false;
    for (const slug of wanted) {
      const { practice, problems } = await loadPractice(reader, slug);
      if (!practice) {
        say(`${slug}: does not load (${problems.length} problems); run pd validate ${slug}. Nothing rebuilt or sent.`);
        results.push({ practice: slug, moments: [], rebuild: false, reason: 'the content does not load', reminders: { due: [], sentTo: [] } });
        failed = true;
        continue;
      }
      loaded.set(slug, practice);
      results.push({ practice: slug, ...(await rebuildDecision(practice, await liveBuiltAt(store, slug), since, now)), reminders: { due: [], sentTo: [] } });
    }

    // Rebuilds: one build for all the practices that need one.
    const toBuild = results.filter((r) => r.rebuild);
    for (const r of results) if (loaded.has(r.practice)) say(`${r.practice}: ${r.rebuild ? (dryRun ? 'would rebuild' : 'rebuilding') : 'up to date'} (${r.reason})`);
    if (toBuild.length && !dryRun) {
      const report = await buildSites({ root, contentRoot: settings.contentRoot, practices: toBuild.map((r) => r.practice), now, settings, store, onProgress: say });
      for (const b of report.practices) {
        const r = results.find((x) => x.practice === b.slug)!;
        r.built = { ok: b.ok, problems: b.problems.filter((p) => p.severity === 'error').length, ...(b.manifest ? { revision: b.manifest.revision } : {}) };
        if (!b.ok) failed = true;
      }
    }

    // Review reminders.
    const stateFile = process.env.PD_TICK_STATE ? path.resolve(process.env.PD_TICK_STATE) : path.join(path.dirname(settings.storeDir), 'reminders-sent.json');
    const state = await readState(stateFile);
    const sent = new Set(Object.keys(state.sent));
    const batches = results
      .filter((r) => loaded.has(r.practice))
      .map((r) => ({ r, practice: loaded.get(r.practice)!, batch: remindersToSend(r.practice, reviewsDue(loaded.get(r.practice)!, now, reminderHorizonDays), sent) }))
      .filter((b) => b.batch.due.length);
    let opened: { db: Database; close(): Promise<void> } | undefined;
    try {
      for (const { r, practice, batch } of batches) {
        r.reminders.due = batch.due;
        const what = batch.due.map((d) => `${d.title} (${reminderStage(d.daysLeft)})`).join(', ');
        if (dryRun) {
          say(`${r.practice}: would remind the practice managers about ${what}`);
          continue;
        }
        opened ??= await openOperatorDatabase(root, settings);
        const managers = await membersService(opened.db).membersWithRole(r.practice, ['practice_manager']);
        if (!managers.length) {
          // Not recorded as sent: the reminder goes once someone can read it.
          r.reminders.note = 'no active practice manager to tell';
          say(`${r.practice}: ${batch.due.length} page(s) due for review, but the practice has no active practice manager to tell`);
          continue;
        }
        const mailer = configuredMailer(settings);
        for (const m of managers) {
          await mailer.send(reviewsDueEmail({ to: m.email, practiceName: practice.profile.name, due: batch.due, portalUrl: settings.portalUrl, siteUrl: `https://${practice.profile.domain}` }));
          r.reminders.sentTo.push(m.email);
        }
        // Recorded after each practice's emails, so a failure later on does not send these again.
        for (const key of batch.keys) state.sent[key] = now.toISOString();
        await writeState(stateFile, state, now);
        say(`${r.practice}: reminded ${managers.map((m) => m.email).join(', ')} about ${what}`);
      }
    } finally {
      await opened?.close();
    }
    if (!batches.length) say('No review reminders to send.');

    if (values.json) console.log(JSON.stringify({ now: now.toISOString(), dryRun, practices: results }, null, 2));
    return failed ? 1 : 0;
  },
};

/** Whether a site built at `builtAt` is out of date at `now` because of something scheduled. */
async function rebuildDecision(practice: Practice, live: string | undefined, since: Date | undefined, now: Date): Promise<Pick<PracticeTick, 'builtAt' | 'moments' | 'rebuild' | 'reason'>> {
  const builtAt = live ?? since?.toISOString();
  if (!builtAt) return { moments: [], rebuild: true, reason: 'no live revision here yet' };
  const moments = momentsBetween(practice, new Date(builtAt), now).map((d) => d.toISOString());
  if (!moments.length) return { builtAt, moments, rebuild: false, reason: `nothing scheduled between ${builtAt} and ${now.toISOString()}` };
  return { builtAt, moments, rebuild: true, reason: `${moments.length} scheduled change${moments.length === 1 ? '' : 's'} since it was built at ${builtAt}, the first at ${moments[0]}` };
}

/** The build time of the practice's live revision, as recorded in its manifest. */
async function liveBuiltAt(store: ReturnType<typeof revisionStore>, slug: string): Promise<string | undefined> {
  const live = await store.live(slug);
  if (!live) return undefined;
  return (await store.list(slug)).find((m) => m.revision === live)?.builtAt;
}

/**
 * The database holding the practices' members. A server named by DATABASE_URL (in production,
 * Supabase) is used as it is: migrating it is `supabase db push`'s job, not a scheduled job's, and the
 * local stand-in for Supabase's auth schema must never be written over the real one (Supabase
 * refuses it, which would stop every reminder). The embedded database is set up as usual.
 */

function moment(text: string, option: string): Date | undefined {
  const t = Date.parse(text);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    console.error(`${option} "${text}" is not a time; write it like 2027-01-04T09:00:00Z`);
    return undefined;
  }
  return new Date(t);
}

function configuredMailer(settings: Settings): Mailer {
  const { RESEND_API_KEY: apiKey, EMAIL_FROM: from, RESEND_API_URL: baseUrl } = process.env;
  if (apiKey && from) return resendMailer({ apiKey, from, ...(baseUrl ? { baseUrl } : {}) });
  return outboxMailer(settings.outboxDir);
}

async function readState(file: string): Promise<SentState> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (text === undefined) return { version: 1, sent: {} };
  try {
    const parsed = JSON.parse(text) as SentState;
    if (parsed.version === 1 && parsed.sent && typeof parsed.sent === 'object') return parsed;
  } catch {
    // Reported below.
  }
  throw new Error(`${file} is not a record of sent reminders; move it aside (the next run then sends each current reminder once more)`);
}

async function writeState(file: string, state: SentState, now: Date): Promise<void> {
  const oldest = now.getTime() - keepSentDays * 86_400_000;
  const sent = Object.fromEntries(Object.entries(state.sent).filter(([, at]) => Date.parse(at) >= oldest).sort(([a], [b]) => a.localeCompare(b)));
  await mkdir(path.dirname(file), { recursive: true });
  // Written whole and renamed, so a stopped run never leaves half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ version: 1, sent }, null, 2)}\n`);
  await rename(tmp, file);
}
