import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { repo } from '../../test/support/demo-site.ts';
import { securityEvents } from '../security/security-events.ts';
import { formatDuration, type ClockName } from './clocks.ts';
import { incidentStatus, listIncidents, openIncident, recordIncidentEvent } from './incidents.ts';

let opened: OpenedDatabase;
const actor = 'oncall@practicedigital.co.uk';
const hours = (n: number) => n * 3_600_000;

beforeAll(async () => {
  opened = await openDatabase({ root: repo });
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start) values
      ('riverside', 'Z99901', 'Riverside', 'england', '2026-01-01'),
      ('fellside', 'Z99902', 'Fellside', 'england', '2026-01-01');
  `);
});
afterAll(() => opened?.close());

const clocks = async (id: string, now: Date): Promise<Record<ClockName, [string, string]>> => Object.fromEntries((await incidentStatus(opened.db, id, now)).clocks.map((c) => [c.name, [c.state, c.text]])) as Record<ClockName, [string, string]>;

describe('an incident from discovery to closure', () => {
  it('runs the three clocks from discovery, meets them as steps are recorded, and closes', async () => {
    const discovered = new Date(Date.now() - hours(2));
    const { id } = await openIncident(opened.db, { title: 'Phished manager', summary: 'A manager entered their code on a fake page.', discoveredAt: discovered, personalData: true, practices: ['riverside'], actor });
    const at = (h: number) => new Date(discovered.getTime() + hours(h));

    expect(await clocks(id, at(2))).toEqual({
      containment: ['due', `due in 2 h (by ${fmt(at(4))})`],
      practice_notice: ['due', `due in 22 h (by ${fmt(at(24))})`],
      ico_notice: ['due', `due in 2 days 22 h (by ${fmt(at(72))})`],
    });
    expect((await clocks(id, at(5))).containment).toEqual(['overdue', `overdue by 1 h (was due by ${fmt(at(4))})`]);

    await recordIncidentEvent(opened.db, id, { kind: 'contained', detail: 'sessions revoked, practice frozen', actor, at: at(1.5) });
    await recordIncidentEvent(opened.db, id, { kind: 'practice_added', practice: 'fellside', actor });
    await recordIncidentEvent(opened.db, id, { kind: 'practices_notified', practice: 'riverside', actor });
    // One of the two practices told: the clock is not met yet.
    expect((await clocks(id, new Date())).practice_notice[0]).toBe('due');
    await recordIncidentEvent(opened.db, id, { kind: 'practices_notified', actor });
    await recordIncidentEvent(opened.db, id, { kind: 'ico_notified', detail: 'ICO/123456', actor });

    const met = await clocks(id, new Date());
    expect(met.containment).toEqual(['met', `met at ${fmt(at(1.5))}, 1 h 30 min after discovery`]);
    expect(met.practice_notice[0]).toBe('met');
    expect(met.ico_notice[0]).toBe('met');

    expect((await listIncidents(opened.db, { open: true })).map((i) => i.id)).toContain(id);
    await recordIncidentEvent(opened.db, id, { kind: 'closed', detail: 'reviewed', actor });
    const status = await incidentStatus(opened.db, id, new Date());
    expect(status).toMatchObject({ id, title: 'Phished manager', personalData: true, practices: ['riverside', 'fellside'], openedBy: actor, closedAt: expect.any(String) });
    // In the order things happened: containment, recorded afterwards, came before the opening.
    expect(status.timeline.map((e) => [e.kind, e.practice ?? ''])).toEqual([
      ['contained', ''],
      ['opened', ''],
      ['practice_added', 'riverside'],
      ['practice_added', 'fellside'],
      ['practices_notified', 'riverside'],
      ['practices_notified', 'riverside'],
      ['practices_notified', 'fellside'],
      ['ico_notified', ''],
      ['closed', ''],
    ]);
    expect((await listIncidents(opened.db, { open: true })).map((i) => i.id)).not.toContain(id);
    expect((await listIncidents(opened.db, { open: false })).map((i) => i.id)).toContain(id);
    expect((await securityEvents(opened.db, { kinds: ['incident.opened'] })).at(-1)?.detail).toMatchObject({ incident: id, personal_data: true, practices: 1 });
  });

  it('an incident without personal data or practices has those clocks not required; a clock unmet at closure says so', async () => {
    const discovered = new Date(Date.now() - hours(30));
    const { id } = await openIncident(opened.db, { title: 'Leaked deploy token', summary: 'Token seen in a log.', discoveredAt: discovered, personalData: false, practices: [], actor });
    const c = await clocks(id, new Date());
    expect(c.ico_notice).toEqual(['not_required', 'not required: no personal data is recorded as involved']);
    expect(c.practice_notice).toEqual(['not_required', 'not required: no practice is recorded as affected']);
    expect(c.containment[0]).toBe('overdue');
    await recordIncidentEvent(opened.db, id, { kind: 'contained', actor });
    expect((await clocks(id, new Date())).containment[1]).toMatch(/^met at .*, 1 day 2 h( \d+ min)? late$/);
    // Allowed (the assessment may change), and it meets the clock.
    await recordIncidentEvent(opened.db, id, { kind: 'ico_notified', detail: 'ICO/9', actor });
    expect((await clocks(id, new Date())).ico_notice[0]).toBe('met');
  });

  it('refuses what makes no sense, saying what to do instead', async () => {
    const discovered = new Date(Date.now() - hours(1));
    await expect(openIncident(opened.db, { title: 'x', summary: 'y', discoveredAt: new Date(Date.now() + hours(1)), personalData: false, practices: [], actor })).rejects.toThrow(/in the future/);
    await expect(openIncident(opened.db, { title: 'x', summary: 'y', discoveredAt: discovered, personalData: false, practices: ['nowhere'], actor })).rejects.toThrow(/no practice "nowhere"/);
    await expect(openIncident(opened.db, { title: ' ', summary: 'y', discoveredAt: discovered, personalData: false, practices: [], actor })).rejects.toThrow(/title/);

    const { id } = await openIncident(opened.db, { title: 'x', summary: 'y', discoveredAt: discovered, personalData: true, practices: ['riverside'], actor });
    await expect(recordIncidentEvent(opened.db, id, { kind: 'closed', actor })).rejects.toThrow(/not recorded as contained/);
    await expect(recordIncidentEvent(opened.db, id, { kind: 'ico_notified', actor })).rejects.toThrow(/reference/);
    await expect(recordIncidentEvent(opened.db, id, { kind: 'practices_notified', practice: 'fellside', actor })).rejects.toThrow(/not recorded as affected/);
    await expect(recordIncidentEvent(opened.db, id, { kind: 'practice_added', practice: 'riverside', actor })).rejects.toThrow(/already one of the practices/);
    await expect(recordIncidentEvent(opened.db, id, { kind: 'contained', actor, at: new Date(discovered.getTime() - 1000) })).rejects.toThrow(/before the incident was discovered/);
    await expect(recordIncidentEvent(opened.db, id, { kind: 'contained', actor, at: new Date(Date.now() + hours(1)) })).rejects.toThrow(/future/);
    await recordIncidentEvent(opened.db, id, { kind: 'contained', actor });
    await expect(recordIncidentEvent(opened.db, id, { kind: 'contained', actor })).rejects.toThrow(/already recorded as contained/);
    await recordIncidentEvent(opened.db, id, { kind: 'closed', actor });
    await expect(recordIncidentEvent(opened.db, id, { kind: 'closed', actor })).rejects.toThrow(/was closed at .*open a new incident/);
    await expect(recordIncidentEvent(opened.db, id, { kind: 'note', detail: 'late thought', actor })).rejects.toThrow(/was closed at/);
    await expect(incidentStatus(opened.db, '00000000-0000-4000-8000-000000000000', new Date())).rejects.toThrow(/no incident/);
    await expect(incidentStatus(opened.db, 'abc', new Date())).rejects.toThrow(/not an incident id/);
  });

  it('formats durations for people', () => {
    expect([0, 59_999, 60_000, hours(1), hours(25) + 60_000 * 5, hours(48)].map(formatDuration)).toEqual(['under a minute', 'under a minute', '1 min', '1 h', '1 day 1 h 5 min', '2 days']);
  });
});

function fmt(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
