import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { repo } from '../../test/support/demo-site.ts';
import { freeze, freezeState, unfreeze } from './freezes.ts';
import { securityEvents } from './security-events.ts';

let opened: OpenedDatabase;
const slugs = ['riverside', 'fellside', 'afon-teifi'];

beforeAll(async () => {
  opened = await openDatabase({ root: repo });
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start) values
      ('riverside', 'Z99901', 'Riverside', 'england', '2026-01-01'),
      ('fellside', 'Z99902', 'Fellside', 'england', '2026-01-01'),
      ('afon-teifi', 'W99903', 'Afon Teifi', 'wales', '2026-01-01');
  `);
});
afterAll(() => opened?.close());

/** The database's own answer, which the portal's policies and jobs rely on. */
const databaseSays = async (slug: string) =>
  (await opened.owner.query<{ f: boolean }>('select private.is_frozen(id) as f from public.practices where slug = $1', [slug]))[0]!.f;
const frozen = async () => Object.fromEntries(await Promise.all(slugs.map(async (s) => [s, (await freezeState(opened.db, s)).frozen] as const)));

describe('freezing practices', () => {
  it('freezes one practice, then every practice; lifting all lifts each practice too; each step is a security event', async () => {
    expect(await frozen()).toEqual({ riverside: false, fellside: false, 'afon-teifi': false });

    await freeze(opened.db, { practice: 'riverside', reason: 'manager account compromised', actor: 'oncall@practicedigital.co.uk' });
    const state = await freezeState(opened.db, 'riverside');
    expect(state).toEqual({ frozen: true, global: false, since: expect.any(String), reason: 'manager account compromised' });
    expect(await frozen()).toEqual({ riverside: true, fellside: false, 'afon-teifi': false });

    await freeze(opened.db, { reason: 'signing key leaked', actor: 'oncall@practicedigital.co.uk' });
    expect(await freezeState(opened.db, 'fellside')).toMatchObject({ frozen: true, global: true, reason: 'signing key leaked' });
    expect(await freezeState(opened.db, 'riverside')).toMatchObject({ frozen: true, global: true });
    for (const s of slugs) expect(await databaseSays(s), s).toBe(true);

    await unfreeze(opened.db, { reason: 'keys rotated', actor: 'oncall@practicedigital.co.uk' });
    expect(await frozen()).toEqual({ riverside: false, fellside: false, 'afon-teifi': false });
    for (const s of slugs) expect(await databaseSays(s), s).toBe(false);

    const rows = await opened.owner.query<{ slug: string | null; action: string }>(
      'select p.slug, f.action from public.practice_freezes f left join public.practices p on p.id = f.practice_id order by f.id',
    );
    expect(rows).toEqual([
      { slug: 'riverside', action: 'freeze' },
      { slug: null, action: 'freeze' },
      { slug: null, action: 'unfreeze' },
      { slug: 'riverside', action: 'unfreeze' },
    ]);
    const events = await securityEvents(opened.db, { kinds: ['practice.frozen', 'practice.unfrozen'] });
    expect(events.map((e) => [e.kind, e.practice ?? 'all', e.detail?.reason])).toEqual([
      ['practice.frozen', 'riverside', 'manager account compromised'],
      ['practice.frozen', 'all', 'signing key leaked'],
      ['practice.unfrozen', 'all', 'keys rotated'],
    ]);
  });

  it('a practice unfrozen while every practice is frozen stays frozen until the global freeze is lifted', async () => {
    await freeze(opened.db, { reason: 'again', actor: 'oncall' });
    await unfreeze(opened.db, { practice: 'fellside', reason: 'not affected', actor: 'oncall' });
    expect(await freezeState(opened.db, 'fellside')).toMatchObject({ frozen: true, global: true });
    await unfreeze(opened.db, { reason: 'over', actor: 'oncall' });
    expect(await frozen()).toEqual({ riverside: false, fellside: false, 'afon-teifi': false });
  });

  it('refuses an unknown practice and a missing reason, changing nothing', async () => {
    const before = await opened.owner.query('select count(*)::int as n from public.practice_freezes');
    await expect(freeze(opened.db, { practice: 'nowhere', reason: 'x', actor: 'oncall' })).rejects.toThrow(/no practice "nowhere"/);
    await expect(freeze(opened.db, { practice: 'riverside', reason: ' ', actor: 'oncall' })).rejects.toThrow(/give a reason/);
    await expect(freezeState(opened.db, 'nowhere')).rejects.toThrow(/no practice "nowhere"/);
    expect(await opened.owner.query('select count(*)::int as n from public.practice_freezes')).toEqual(before);
  });
});
