// Freezing stops every write to a practice's site and data (or, with no practice, to every
// practice) until it is lifted: the first thing on-call does when a practice's accounts may be in
// the wrong hands. The rows are append-only events; the state is the latest one (see
// private.is_frozen in the incident-response migration, which this mirrors).
import type { Database, Queryable } from '../db/database.ts';
import { insertSecurityEvent, practiceIdOf, SecurityInputError } from './security-events.ts';

export interface FreezeState {
  frozen: boolean;
  /** When the freeze in force began. */
  since?: string;
  reason?: string;
  /** True when it is the freeze of every practice. */
  global: boolean;
}

export interface FreezeRequest {
  /** The practice's slug; undefined means every practice. */
  practice?: string;
  reason: string;
  actor: string;
}

interface Row {
  practice_id: string | null;
  action: 'freeze' | 'unfreeze';
  at: Date | string;
  reason: string;
}

export async function freezeState(db: Database, practice: string): Promise<FreezeState> {
  return db.asService(`check whether ${practice} is frozen before letting a write through`, async (q) => {
    const id = await practiceIdOf(q, practice);
    return stateOf(q, id);
  });
}

export async function freeze(db: Database, o: FreezeRequest): Promise<void> {
  checkRequest(o);
  await db.asService(`freeze ${o.practice ?? 'every practice'} during an incident`, async (q) => {
    const id = o.practice === undefined ? null : await practiceIdOf(q, o.practice);
    await insertEvent(q, id, 'freeze', o);
    await insertSecurityEvent(q, { kind: 'practice.frozen', ...(o.practice ? { practice: o.practice } : {}), detail: { scope: o.practice ? 'practice' : 'all', reason: o.reason, actor: o.actor } });
  });
}

/** Lifts a freeze. Lifting the freeze of every practice lifts each practice's own freeze too. */
export async function unfreeze(db: Database, o: FreezeRequest): Promise<void> {
  checkRequest(o);
  await db.asService(`lift the freeze of ${o.practice ?? 'every practice'} after an incident`, async (q) => {
    if (o.practice !== undefined) {
      const id = await practiceIdOf(q, o.practice);
      await insertEvent(q, id, 'unfreeze', o);
    } else {
      await insertEvent(q, null, 'unfreeze', o);
      // Each practice whose own latest event is a freeze gets its own unfreeze, so the record says
      // exactly what was lifted.
      const latest = await q.query<{ practice_id: string; action: string }>(
        `select distinct on (practice_id) practice_id, action from public.practice_freezes
          where practice_id is not null order by practice_id, id desc`,
      );
      for (const r of latest) if (r.action === 'freeze') await insertEvent(q, r.practice_id, 'unfreeze', o);
    }
    await insertSecurityEvent(q, { kind: 'practice.unfrozen', ...(o.practice ? { practice: o.practice } : {}), detail: { scope: o.practice ? 'practice' : 'all', reason: o.reason, actor: o.actor } });
  });
}

async function stateOf(q: Queryable, practiceId: string): Promise<FreezeState> {
  const [global] = await q.query<Row>('select practice_id, action, at, reason from public.practice_freezes where practice_id is null order by id desc limit 1');
  if (global?.action === 'freeze') return { frozen: true, global: true, since: new Date(global.at).toISOString(), reason: global.reason };
  const [own] = await q.query<Row>('select practice_id, action, at, reason from public.practice_freezes where practice_id = $1 order by id desc limit 1', [practiceId]);
  if (own?.action === 'freeze') return { frozen: true, global: false, since: new Date(own.at).toISOString(), reason: own.reason };
  return { frozen: false, global: false };
}

async function insertEvent(q: Queryable, practiceId: string | null, action: 'freeze' | 'unfreeze', o: FreezeRequest): Promise<void> {
  await q.query('insert into public.practice_freezes (practice_id, action, reason, actor) values ($1, $2, $3, $4)', [practiceId, action, o.reason.trim(), o.actor.trim()]);
}

function checkRequest(o: FreezeRequest): void {
  if (!o.reason?.trim()) throw new SecurityInputError('give a reason (--reason "..."): it is recorded with the freeze and shown to the practice');
  if (!o.actor?.trim()) throw new SecurityInputError('say who is acting: the record names them');
}
