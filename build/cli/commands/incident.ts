// `pd incident`: the on-call engineer's commands for a security incident, in the order they are
// needed: open it (the clocks start from discovery), revoke sessions and freeze practices, record
// containment, email the affected practices' managers, record the ICO notice, close it, and list
// the security events for the report. It works on the configured database as the service role,
// like the portal's own jobs: the operator is trusted, and every step names them in the record.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { authAdmin as supabaseAuthAdmin, type AuthAdmin } from '../../../lib/auth/auth-admin.ts';
import type { Database } from '../../../lib/db/database.ts';
import type { Mailer } from '../../../lib/email/mailer.ts';
import { defaultIncidentAdvice, incidentNoticeEmail } from '../../../lib/email/messages/incident-notice.ts';
import { outboxMailer } from '../../../lib/email/outbox-node.ts';
import { resendMailer } from '../../../lib/email/resend.ts';
import { formatTime } from '../../../lib/incident/clocks.ts';
import { IncidentError, incidentStatus, listIncidents, openIncident, recordIncidentEvent, type IncidentStatus } from '../../../lib/incident/incidents.ts';
import { rotationPlan, rotationText } from '../../../lib/incident/rotation.ts';
import { membersService } from '../../../lib/members/members.ts';
import { freeze, unfreeze } from '../../../lib/security/freezes.ts';
import { revokeSessions, type RevocationScope } from '../../../lib/security/revocations.ts';
import { SecurityInputError, securityEvents } from '../../../lib/security/security-events.ts';
import { openOperatorDatabase } from '../../db/open-database.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings, type Settings } from '../../node/settings.ts';
import type { Command } from '../commands.ts';

/** Ends a user's refresh sessions in the sign-in service, so a revoked user cannot get a new token. */
export type SessionEnder = Pick<AuthAdmin, 'signOutUser'>;

export interface IncidentDeps {
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** The sign-in service's admin calls; by default Supabase's, when SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY are set. */
  sessions?: SessionEnder | null;
  mailer?: Mailer;
}

class UsageError extends Error {}

const help = [
  'The incident runbook (docs/incident-response.md), command by command. Every step is recorded',
  'on the append-only incident timeline or security log, with who did it (--by, default: your',
  'login name). Works on the local database, or DATABASE_URL.',
  '',
  'First 15 minutes:',
  '  pd incident open --title <t> --summary <s> --discovered <iso> [--personal-data] [--practice <slug>]...',
  '  pd incident revoke --user <email> | --practice <slug> | --all --reason <r> [--incident <id>]',
  '  pd incident freeze <slug> | --all --reason <r> [--incident <id>]',
  'Within 4 hours:     pd incident contained <id> [--detail <what was done>] [--at <iso>]',
  'Within 24 hours:    pd incident notify <id> [--done <step>]... [--advice <step>]... [--dry-run]',
  'Within 72 hours:    pd incident ico <id> --reference <ICO reference>   (when personal data is involved)',
  'Then:               pd incident unfreeze <slug> | --all --reason <r>',
  '                    pd incident close <id> [--detail <summary>]',
  '                    pd incident events [--practice <slug>] [--since <iso>] [--until <iso>] [--kind <k>]... [--json]',
  'Any time:           pd incident status [<id>] [--all] [--json]',
  '                    pd incident note <id> --detail <text>',
  '                    pd incident add-practice <id> <slug>',
  '',
  'revoke refuses the sessions from their next request at the portal and the CMS gateway, ends',
  "the users' refresh sessions in the sign-in service when SUPABASE_URL and",
  'SUPABASE_SERVICE_ROLE_KEY are set, and prints every secret to rotate with its command (the',
  'portal project is PD_PORTAL_PROJECT, default pd-portal).',
  'notify emails each affected practice\'s practice managers (Resend when RESEND_API_KEY and',
  'EMAIL_FROM are set, else the outbox folder), then records that they were told.',
  '',
  'Exits 0 when done, 1 when refused (the message says why), 2 on bad usage.',
].join('\n');

export function incidentCommand(deps: IncidentDeps = {}): Command {
  return {
    summary: 'Respond to a security incident: open, revoke, freeze, contain, notify, report',
    usage: 'incident open|revoke|freeze|unfreeze|contained|notify|ico|status|close|note|add-practice|events [options]',
    help,
    async run(args) {
      const out = deps.out ?? ((s: string) => console.log(s));
      const err = deps.err ?? ((s: string) => console.error(s));
      const env = deps.env ?? process.env;
      let parsed;
      try {
        parsed = parseArgs({
          args,
          allowPositionals: true,
          options: {
            title: { type: 'string' },
            summary: { type: 'string' },
            discovered: { type: 'string' },
            'personal-data': { type: 'boolean' },
            practice: { type: 'string', multiple: true },
            user: { type: 'string' },
            all: { type: 'boolean' },
            incident: { type: 'string' },
            reason: { type: 'string' },
            detail: { type: 'string' },
            at: { type: 'string' },
            done: { type: 'string', multiple: true },
            advice: { type: 'string', multiple: true },
            reference: { type: 'string' },
            since: { type: 'string' },
            until: { type: 'string' },
            kind: { type: 'string', multiple: true },
            by: { type: 'string' },
            json: { type: 'boolean' },
            'dry-run': { type: 'boolean' },
            // For tests and for reading the clocks as they stood at a moment.
            now: { type: 'string' },
          },
        });
      } catch (e) {
        err(`pd incident: ${(e as Error).message}. Run "pd incident --help".`);
        return 2;
      }
      const { values: v, positionals } = parsed;
      const [action, ...rest] = positionals;
      const root = repoRoot();
      const settings = loadSettings(root, env);
      const by = v.by?.trim() || env.PD_OPERATOR || os.userInfo().username;
      const time = (name: string, value: string | undefined): Date | undefined => {
        if (value === undefined) return undefined;
        const d = new Date(value);
        if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw new UsageError(`--${name} must be an ISO time like 2026-12-05T09:30:00Z, not "${value}"`);
        return d;
      };
      const needId = (what: string) => {
        if (!rest[0]) throw new UsageError(`give the incident id: pd incident ${what} <id> ("pd incident status" lists them)`);
        return rest[0];
      };
      const oneScope = () => {
        const chosen = [v.user !== undefined, (v.practice?.length ?? 0) > 0 || rest[0] !== undefined, v.all === true].filter(Boolean).length;
        if (chosen !== 1) throw new UsageError('choose exactly one of --user <email>, --practice <slug> (or a slug) and --all');
      };
      const reason = () => {
        if (!v.reason?.trim()) throw new UsageError('give a reason with --reason "...": it is recorded, and shown to the practice for a freeze');
        return v.reason.trim();
      };
      if (!action) {
        err('pd incident: name an action. Run "pd incident --help".');
        return 2;
      }

      let opened: Awaited<ReturnType<typeof openOperatorDatabase>> | undefined;
      const db = async (): Promise<Database> => (opened ??= await openOperatorDatabase(root, settings)).db;
      try {
        const now = time('now', v.now) ?? new Date();
        switch (action) {
          case 'open': {
            if (!v.title || !v.summary || !v.discovered) throw new UsageError('give --title, --summary and --discovered <iso time>');
            const { id } = await openIncident(await db(), {
              title: v.title,
              summary: v.summary,
              discoveredAt: time('discovered', v.discovered)!,
              personalData: v['personal-data'] === true,
              practices: v.practice ?? [],
              actor: by,
            });
            const status = await incidentStatus(await db(), id, now);
            if (v.json) out(JSON.stringify(status, null, 2));
            else out(`Opened incident ${id}\n\n${clocksText(status)}\n\nNext: revoke and freeze as needed (pd incident revoke|freeze ... --incident ${id}).`);
            return 0;
          }
          case 'revoke': {
            oneScope();
            const scope: RevocationScope = v.user ? { scope: 'user', email: v.user } : v.all ? { scope: 'all' } : { scope: 'practice', practice: v.practice?.[0] ?? rest[0]! };
            const r = reason();
            if (v.incident) await stillOpen(await db(), v.incident, now);
            const { userIds } = await revokeSessions(await db(), scope, { reason: r, actor: by });
            const what = scope.scope === 'user' ? scope.email : scope.scope === 'practice' ? `every member of ${scope.practice}` : 'everyone';
            out(`Revoked the sessions of ${what} (${userIds.length} user${userIds.length === 1 ? '' : 's'}): the portal and the CMS gateway refuse their current tokens from the next request.`);
            if (v.incident) await recordIncidentEvent(await db(), v.incident, { kind: 'note', detail: `Sessions revoked: ${what} (${userIds.length} users). ${r}`, actor: by });
            await endSessions(userIds, deps, env, out, err);
            out(`\nRotate these secrets now if any may have leaked:\n\n${rotationText(rotationPlan({ portalProject: env.PD_PORTAL_PROJECT || 'pd-portal' }))}`);
            return 0;
          }
          case 'freeze':
          case 'unfreeze': {
            oneScope();
            if (v.user) throw new UsageError(`${action} applies to a practice or --all, not a user`);
            const practice = v.all ? undefined : (v.practice?.[0] ?? rest[0]);
            const r = reason();
            if (v.incident) await stillOpen(await db(), v.incident, now);
            await (action === 'freeze' ? freeze : unfreeze)(await db(), { ...(practice ? { practice } : {}), reason: r, actor: by });
            const what = practice ?? 'every practice';
            out(
              action === 'freeze'
                ? `Froze ${what}: the portal and the CMS gateway refuse every change to it until "pd incident unfreeze ${practice ?? '--all'}". Live sites stay up.`
                : `Lifted the freeze of ${what}${practice ? '' : ' (and each practice frozen on its own)'}.`,
            );
            if (v.incident) await recordIncidentEvent(await db(), v.incident, { kind: 'note', detail: `${action === 'freeze' ? 'Frozen' : 'Unfrozen'}: ${what}. ${r}`, actor: by });
            return 0;
          }
          case 'contained':
          case 'close':
          case 'note': {
            const id = needId(action);
            if (action === 'note' && !v.detail) throw new UsageError('give the note with --detail "..."');
            const kind = action === 'close' ? 'closed' : action;
            await recordIncidentEvent(await db(), id, { kind, ...(v.detail ? { detail: v.detail } : {}), actor: by, ...(v.at ? { at: time('at', v.at)! } : {}) });
            const status = await incidentStatus(await db(), id, now);
            out(`Recorded "${kind}" on incident ${id}.\n\n${clocksText(status)}`);
            if (action === 'close') for (const c of status.clocks.filter((c) => c.state === 'overdue')) err(`Warning: ${c.title.toLowerCase()} was ${c.text}; explain why in the report.`);
            return 0;
          }
          case 'add-practice': {
            const id = needId(action);
            const slug = rest[1] ?? v.practice?.[0];
            if (!slug) throw new UsageError('name the practice: pd incident add-practice <id> <slug>');
            await recordIncidentEvent(await db(), id, { kind: 'practice_added', practice: slug, actor: by });
            out(`Added ${slug} to incident ${id}; its managers are told by "pd incident notify ${id}".`);
            return 0;
          }
          case 'ico': {
            const id = needId(action);
            if (!v.reference?.trim()) throw new UsageError("give the ICO's reference for the report with --reference");
            const before = await incidentStatus(await db(), id, now);
            if (!before.personalData) err('Warning: this incident is recorded as not involving personal data; recording the ICO notice anyway (a precaution, or the assessment changed: add a note saying which).');
            await recordIncidentEvent(await db(), id, { kind: 'ico_notified', detail: v.reference.trim(), actor: by });
            out(`Recorded the ICO notice (reference ${v.reference.trim()}) on incident ${id}.\n\n${clocksText(await incidentStatus(await db(), id, now))}`);
            return 0;
          }
          case 'notify':
            return await notify(await db(), needId(action), { settings, env, deps, by, now, out, err, dryRun: v['dry-run'] === true, done: v.done ?? [], advice: v.advice ?? [], practices: v.practice });
          case 'status': {
            if (rest[0]) {
              const status = await incidentStatus(await db(), rest[0], now);
              out(v.json ? JSON.stringify(status, null, 2) : statusText(status));
              return 0;
            }
            const list = await listIncidents(await db(), v.all ? {} : { open: true });
            if (v.json) out(JSON.stringify(list, null, 2));
            else if (!list.length) out(v.all ? 'No incidents recorded.' : 'No open incidents. (--all lists closed ones too.)');
            else for (const i of list) out(`${i.id}  ${i.closedAt ? 'closed' : 'open  '}  discovered ${formatTime(new Date(i.discoveredAt))}  ${i.title}${i.practices.length ? ` (${i.practices.join(', ')})` : ''}`);
            return 0;
          }
          case 'events': {
            const events = await securityEvents(await db(), {
              ...(v.practice?.[0] ? { practice: v.practice[0] } : {}),
              ...(v.since ? { since: time('since', v.since)! } : {}),
              ...(v.until ? { until: time('until', v.until)! } : {}),
              ...(v.kind?.length ? { kinds: v.kind } : {}),
              limit: 10_000,
            });
            if (v.json) out(JSON.stringify(events, null, 2));
            else if (!events.length) out('No security events match.');
            else
              for (const e of events)
                out([e.at, e.kind, e.practice ?? '-', e.email ?? e.userId ?? '-', Object.entries(e.detail ?? {}).map(([k, x]) => `${k}=${x}`).join(' ')].join('  ').trimEnd());
            return 0;
          }
          default:
            throw new UsageError(`"${action}" is not an incident action: use open, revoke, freeze, unfreeze, contained, notify, ico, status, close, note, add-practice or events`);
        }
      } catch (e) {
        if (e instanceof UsageError) {
          err(`pd incident: ${e.message}. Run "pd incident --help".`);
          return 2;
        }
        if (e instanceof IncidentError || e instanceof SecurityInputError) {
          err(`pd incident: ${e.message}`);
          return 1;
        }
        throw e;
      } finally {
        await opened?.close();
      }
    },
  };
}

export const incident: Command = incidentCommand();

/** Checked before acting, so a step is not taken and then fail to be recorded on a closed incident. */
async function stillOpen(db: Database, id: string, now: Date): Promise<void> {
  const status = await incidentStatus(db, id, now);
  if (status.closedAt) throw new IncidentError(`incident ${id} was closed at ${formatTime(new Date(status.closedAt))}: open a new incident, or leave out --incident`);
}

async function endSessions(userIds: string[], deps: IncidentDeps, env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void): Promise<void> {
  const sessions =
    deps.sessions !== undefined
      ? deps.sessions
      : env.SUPABASE_URL && env.SUPABASE_SERVICE_ROLE_KEY
        ? supabaseAuthAdmin({ url: env.SUPABASE_URL, serviceKey: env.SUPABASE_SERVICE_ROLE_KEY })
        : null;
  if (!sessions) {
    out(
      'Refresh sessions were not ended: no sign-in service admin is configured (set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY and run revoke again, or sign the users out in the Supabase dashboard). Their current tokens are refused all the same.',
    );
    return;
  }
  let ended = 0;
  const failed: string[] = [];
  for (const id of userIds) {
    try {
      await sessions.signOutUser(id);
      ended += 1;
    } catch (e) {
      failed.push(`${id} (${(e as Error).message})`);
    }
  }
  out(`Ended the refresh sessions of ${ended} of ${userIds.length} user${userIds.length === 1 ? '' : 's'} in the sign-in service.`);
  if (failed.length) err(`Could not end the sessions of: ${failed.join(', ')}. Run revoke again, or sign them out in the Supabase dashboard.`);
}

interface NotifyContext {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  deps: IncidentDeps;
  by: string;
  now: Date;
  out: (s: string) => void;
  err: (s: string) => void;
  dryRun: boolean;
  done: string[];
  advice: string[];
  practices?: string[];
}

async function notify(db: Database, id: string, c: NotifyContext): Promise<number> {
  const status = await incidentStatus(db, id, c.now);
  if (status.closedAt) throw new IncidentError(`incident ${id} was closed at ${formatTime(new Date(status.closedAt))}: open a new incident for anything further`);
  const targets = c.practices?.length ? c.practices : status.practices;
  for (const p of targets) if (!status.practices.includes(p)) throw new IncidentError(`${p} is not recorded as affected by incident ${id}: add it first (pd incident add-practice ${id} ${p})`);
  if (!targets.length) throw new IncidentError(`incident ${id} has no affected practices to notify: add them first (pd incident add-practice ${id} <slug>)`);

  const contained = status.timeline.find((e) => e.kind === 'contained');
  const done = c.done.length ? c.done : contained ? [`We contained the incident on ${formatTime(new Date(contained.at))}${contained.detail ? `: ${contained.detail}` : '.'}`] : [];
  const members = membersService(db);
  const names = new Map(
    (await db.asService('find the names of the practices affected by an incident, for the notice', (q) => q.query<{ slug: string; name: string }>('select slug, name from public.practices where slug = any($1::text[])', [targets]))).map(
      (r) => [r.slug, r.name] as const,
    ),
  );
  const mailer = c.dryRun ? undefined : (c.deps.mailer ?? configuredMailer(c.settings, c.env));
  const previous = status.timeline.filter((e) => e.kind === 'practices_notified').length;
  let sent = 0;
  for (const practice of targets) {
    const managers = await members.membersWithRole(practice, ['practice_manager']);
    if (!managers.length) c.err(`Warning: ${practice} has no active practice manager to email: phone the practice, then record it with pd incident note ${id} --detail "...".`);
    for (const m of managers) {
      const message = incidentNoticeEmail({
        to: m.email,
        practiceName: names.get(practice) ?? practice,
        title: status.title,
        happened: status.summary,
        discoveredAt: new Date(status.discoveredAt),
        done,
        toDo: c.advice.length ? c.advice : defaultIncidentAdvice,
        contact: c.settings.security.contact,
        personalData: status.personalData,
        reference: id,
        idempotencyKey: `incident-notice/${id}/${previous}/${practice}/${m.email.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
      });
      if (mailer) await mailer.send(message);
      c.out(`${c.dryRun ? 'Would email' : 'Emailed'} ${m.email} (${practice}): ${message.subject}`);
      sent += 1;
    }
    if (!c.dryRun && managers.length)
      await recordIncidentEvent(db, id, { kind: 'practices_notified', practice, detail: `Emailed ${managers.map((m) => m.email).join(', ')}`, actor: c.by });
  }
  if (c.dryRun) {
    c.out(`Dry run: ${sent} email(s) would be sent; nothing sent or recorded.`);
    return 0;
  }
  c.out(`\nRemember to phone each practice too (the security page promises email and phone).\n\n${clocksText(await incidentStatus(db, id, c.now))}`);
  return 0;
}

function configuredMailer(settings: Settings, env: NodeJS.ProcessEnv): Mailer {
  const { RESEND_API_KEY: apiKey, EMAIL_FROM: from, RESEND_API_URL: baseUrl } = env;
  if (apiKey && from) return resendMailer({ apiKey, from, ...(baseUrl ? { baseUrl } : {}) });
  return outboxMailer(settings.outboxDir);
}

function clocksText(s: IncidentStatus): string {
  const width = Math.max(...s.clocks.map((c) => c.title.length));
  return [`Discovered ${formatTime(new Date(s.discoveredAt))}${s.closedAt ? `; closed ${formatTime(new Date(s.closedAt))}` : ''}`, ...s.clocks.map((c) => `  ${`${c.title}:`.padEnd(width + 1)} ${c.text}`)].join('\n');
}

function statusText(s: IncidentStatus): string {
  return [
    `Incident ${s.id}: ${s.title}`,
    `${s.summary}`,
    `Personal data: ${s.personalData ? 'yes' : 'no'}. Practices: ${s.practices.length ? s.practices.join(', ') : 'none recorded'}. Opened by ${s.openedBy} at ${formatTime(new Date(s.openedAt))}.`,
    '',
    clocksText(s),
    '',
    'Timeline:',
    ...s.timeline.map((e) => `  ${formatTime(new Date(e.at))}  ${e.kind}${e.practice ? ` ${e.practice}` : ''}${e.detail ? `: ${e.detail}` : ''} (${e.actor})`),
  ].join('\n');
}
