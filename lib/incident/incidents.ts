// An incident and its timeline: opened with what happened and when it was discovered, then
// contained, practices told, the ICO told when personal data is involved, and closed. Every step
// is an append-only row (the timeline is the record for the report), written as the service role
// by the on-call engineer's command; incidentStatus turns it into the clocks on the security page.
import type { Database, Queryable } from '../db/database.ts';
import { insertSecurityEvent, practiceIdOf } from '../security/security-events.ts';
import { clock, formatTime, type Clock } from './clocks.ts';

export const incidentEventKinds = ['opened', 'practice_added', 'contained', 'practices_notified', 'ico_notified', 'note', 'closed'] as const;
export type IncidentEventKind = (typeof incidentEventKinds)[number];
export type RecordableKind = Exclude<IncidentEventKind, 'opened'>;

export class IncidentError extends Error {
  override name = 'IncidentError';
}

export interface OpenIncident {
  title: string;
  summary: string;
  discoveredAt: Date;
  personalData: boolean;
  /** Slugs of the practices affected; may be empty (add them later with practice_added). */
  practices: string[];
  actor: string;
}

export interface IncidentEventInput {
  kind: RecordableKind;
  detail?: string;
  /** A slug: required for practice_added; for practices_notified, one practice (else every affected practice). */
  practice?: string;
  actor: string;
  /** When it happened, if earlier than now (a containment recorded after the fact). */
  at?: Date;
}

export interface IncidentTimelineEntry {
  at: string;
  kind: IncidentEventKind;
  practice?: string;
  detail: string;
  actor: string;
}

export interface IncidentSummary {
  id: string;
  title: string;
  discoveredAt: string;
  openedAt: string;
  personalData: boolean;
  closedAt: string | null;
  practices: string[];
}

export interface IncidentStatus extends IncidentSummary {
  summary: string;
  openedBy: string;
  timeline: IncidentTimelineEntry[];
  clocks: Clock[];
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How far ahead of this machine's clock a time may be and still count as now (clock drift). */
const skewMs = 60_000;

export async function openIncident(db: Database, o: OpenIncident): Promise<{ id: string }> {
  if (!o.title?.trim()) throw new IncidentError('give the incident a title (--title "..."): a few words saying what happened');
  if (!o.summary?.trim()) throw new IncidentError('give a summary (--summary "..."): what happened, as far as is known');
  if (!(o.discoveredAt instanceof Date) || Number.isNaN(o.discoveredAt.getTime()))
    throw new IncidentError('give the time the incident was discovered (--discovered) as an ISO time, like 2026-12-05T09:30:00Z');
  if (o.discoveredAt.getTime() > Date.now() + skewMs)
    throw new IncidentError(`the discovery time ${o.discoveredAt.toISOString()} is in the future: give when it was discovered, which the clocks count from`);
  if (!o.actor?.trim()) throw new IncidentError('say who is opening the incident: the record names them');
  return db.asService('open a security incident and start its clocks', async (q) => {
    const practiceIds = new Map<string, string>();
    for (const slug of o.practices) practiceIds.set(slug, await practiceIdOf(q, slug));
    const [row] = await translate(() =>
      q.query<{ id: string }>('insert into public.incidents (discovered_at, title, summary, personal_data, opened_by) values ($1, $2, $3, $4, $5) returning id', [
        o.discoveredAt.toISOString(),
        o.title.trim(),
        o.summary.trim(),
        o.personalData,
        o.actor.trim(),
      ]),
    );
    const id = row!.id;
    await insertEvent(q, id, 'opened', null, o.title.trim(), o.actor);
    for (const practiceId of practiceIds.values()) await insertEvent(q, id, 'practice_added', practiceId, '', o.actor);
    await insertSecurityEvent(q, { kind: 'incident.opened', detail: { incident: id, personal_data: o.personalData, practices: practiceIds.size, actor: o.actor.trim() } });
    return { id };
  });
}

/**
 * Adds a step to the timeline. Refused: anything on a closed incident, closing before
 * containment, a second containment or ICO notice (add a note instead), a practice that is not
 * affected (add it first), a time in the future or before discovery. Notifying the ICO of an
 * incident recorded without personal data is allowed: the assessment may have changed, and
 * telling the regulator is never wrong; the command line warns.
 */
export async function recordIncidentEvent(db: Database, id: string, e: IncidentEventInput): Promise<void> {
  if (!(incidentEventKinds as readonly string[]).includes(e.kind) || e.kind === ('opened' as string))
    throw new IncidentError(`"${e.kind}" is not a step that can be recorded: use one of ${incidentEventKinds.filter((k) => k !== 'opened').join(', ')}`);
  if (!e.actor?.trim()) throw new IncidentError('say who is recording this: the record names them');
  if (e.at && (Number.isNaN(e.at.getTime()) || e.at.getTime() > Date.now() + skewMs))
    throw new IncidentError('the time of a step cannot be in the future: leave it out to record it as now');
  await db.asService(`record "${e.kind}" on the timeline of incident ${id}`, async (q) => {
    const incident = await loadIncident(q, id);
    const events = await loadEvents(q, id);
    const closed = events.find((x) => x.kind === 'closed');
    if (closed) throw new IncidentError(`incident ${id} was closed at ${formatTime(new Date(closed.at))}: open a new incident for anything further`);
    if (e.at && e.at.getTime() < new Date(incident.discovered_at).getTime())
      throw new IncidentError(`${e.at.toISOString()} is before the incident was discovered (${new Date(incident.discovered_at).toISOString()})`);
    const affected = new Set(events.filter((x) => x.kind === 'practice_added').map((x) => x.practice_id));
    const practiceId = e.practice === undefined ? null : await practiceIdOf(q, e.practice);
    const detail = e.detail?.trim() ?? '';
    switch (e.kind) {
      case 'closed':
        if (!events.some((x) => x.kind === 'contained')) throw new IncidentError(`incident ${id} is not recorded as contained: record containment (pd incident contained ${id}) before closing it`);
        break;
      case 'contained': {
        const first = events.find((x) => x.kind === 'contained');
        if (first) throw new IncidentError(`incident ${id} was already recorded as contained at ${formatTime(new Date(first.at))}: add a note instead`);
        break;
      }
      case 'ico_notified': {
        if (!detail) throw new IncidentError("give the ICO's reference for the report (--reference), so the notice can be traced");
        const first = events.find((x) => x.kind === 'ico_notified');
        if (first) throw new IncidentError(`the ICO was already recorded as notified at ${formatTime(new Date(first.at))} (${first.detail}): add a note for a follow-up report`);
        break;
      }
      case 'practice_added':
        if (!practiceId) throw new IncidentError('name the practice to add to the incident (--practice <slug>)');
        if (affected.has(practiceId)) throw new IncidentError(`${e.practice} is already one of the practices affected by incident ${id}`);
        break;
      case 'practices_notified': {
        if (practiceId && !affected.has(practiceId)) throw new IncidentError(`${e.practice} is not recorded as affected by incident ${id}: add it first (practice_added)`);
        const targets = practiceId ? [practiceId] : [...affected].filter((p): p is string => p !== null);
        if (!targets.length) throw new IncidentError(`incident ${id} has no affected practices to notify: add them first (practice_added)`);
        for (const p of targets) await insertEvent(q, id, 'practices_notified', p, detail, e.actor, e.at);
        return;
      }
      case 'note':
        if (!detail) throw new IncidentError('a note needs some text');
        break;
    }
    await insertEvent(q, id, e.kind, practiceId, detail, e.actor, e.at);
  });
}

export async function incidentStatus(db: Database, id: string, now: Date): Promise<IncidentStatus> {
  return db.asService(`show the timeline and clocks of incident ${id}`, async (q) => {
    const incident = await loadIncident(q, id);
    const events = await loadEvents(q, id);
    const discovered = new Date(incident.discovered_at);
    const first = (kind: IncidentEventKind) => events.find((x) => x.kind === kind);
    const at = (x: { at: Date | string } | undefined) => (x ? new Date(x.at) : undefined);

    const affected = events.filter((x) => x.kind === 'practice_added');
    const noticeTimes = affected.map((p) => events.find((x) => x.kind === 'practices_notified' && x.practice_id === p.practice_id)?.at);
    const allNotified = affected.length > 0 && noticeTimes.every(Boolean);
    const practiceNoticeMet = allNotified ? new Date(Math.max(...noticeTimes.map((t) => new Date(t!).getTime()))) : undefined;
    const closed = first('closed');

    const clocks = [
      clock('containment', discovered, now, at(first('contained'))),
      clock('practice_notice', discovered, now, practiceNoticeMet, affected.length ? undefined : 'no practice is recorded as affected'),
      clock('ico_notice', discovered, now, at(first('ico_notified')), incident.personal_data ? undefined : 'no personal data is recorded as involved'),
    ];
    return {
      ...summaryOf(incident, events),
      summary: incident.summary,
      openedBy: incident.opened_by,
      timeline: events.map((x) => ({
        at: new Date(x.at).toISOString(),
        kind: x.kind,
        ...(x.slug || x.practice_id ? { practice: x.slug ?? x.practice_id! } : {}),
        detail: x.detail,
        actor: x.actor,
      })),
      // Once closed, a clock still running stopped unmet: say so rather than count on forever.
      clocks: closed ? clocks.map((c) => (c.state === 'due' || c.state === 'overdue' ? { ...c, state: 'overdue' as const, text: `not met before the incident was closed (was due by ${formatTime(new Date(c.dueAt))})` } : c)) : clocks,
    };
  });
}

export async function listIncidents(db: Database, o: { open?: boolean } = {}): Promise<IncidentSummary[]> {
  return db.asService('list security incidents', async (q) => {
    const incidents = await q.query<IncidentRow>('select * from public.incidents order by opened_at desc, id');
    const out: IncidentSummary[] = [];
    for (const incident of incidents) {
      const s = summaryOf(incident, await loadEvents(q, incident.id));
      if (o.open === undefined || o.open === (s.closedAt === null)) out.push(s);
    }
    return out;
  });
}

interface IncidentRow {
  id: string;
  opened_at: Date | string;
  discovered_at: Date | string;
  title: string;
  summary: string;
  personal_data: boolean;
  opened_by: string;
}

interface EventRow {
  at: Date | string;
  kind: IncidentEventKind;
  practice_id: string | null;
  slug: string | null;
  detail: string;
  actor: string;
}

function summaryOf(incident: IncidentRow, events: EventRow[]): IncidentSummary {
  const closed = events.find((x) => x.kind === 'closed');
  return {
    id: incident.id,
    title: incident.title,
    discoveredAt: new Date(incident.discovered_at).toISOString(),
    openedAt: new Date(incident.opened_at).toISOString(),
    personalData: incident.personal_data,
    closedAt: closed ? new Date(closed.at).toISOString() : null,
    practices: events.filter((x) => x.kind === 'practice_added').map((x) => x.slug ?? x.practice_id!),
  };
}

async function loadIncident(q: Queryable, id: string): Promise<IncidentRow> {
  if (!uuidPattern.test(id)) throw new IncidentError(`"${id}" is not an incident id: ids look like 3f2a…-…; "pd incident status" lists them`);
  const [row] = await q.query<IncidentRow>('select * from public.incidents where id = $1', [id]);
  if (!row) throw new IncidentError(`there is no incident ${id}: "pd incident status" lists them`);
  return row;
}

function loadEvents(q: Queryable, id: string): Promise<EventRow[]> {
  return q.query<EventRow>(
    `select e.at, e.kind, e.practice_id, p.slug, e.detail, e.actor
       from public.incident_events e left join public.practices p on p.id = e.practice_id
      where e.incident_id = $1 order by e.at, e.id`,
    [id],
  );
}

async function insertEvent(q: Queryable, id: string, kind: IncidentEventKind, practiceId: string | null, detail: string, actor: string, at?: Date): Promise<void> {
  await translate(() =>
    q.query('insert into public.incident_events (incident_id, kind, practice_id, detail, actor, at) values ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()))', [
      id,
      kind,
      practiceId,
      detail,
      actor.trim(),
      at?.toISOString() ?? null,
    ]),
  );
}

/** The database's own refusals (a closed incident, a discovery after opening), as IncidentErrors. */
async function translate<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === '55000') throw new IncidentError(err.message ?? 'the incident cannot take this step');
    if (err.code === '23514' && /incidents_discovered_before_opened/.test(err.message ?? ''))
      throw new IncidentError("the discovery time is after the database's clock: give when it was discovered, not later");
    throw e;
  }
}
