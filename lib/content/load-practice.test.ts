import { beforeAll, describe, expect, it } from 'vitest';
import { edit, memReader, practiceTree, type Tree } from '../../test/support/content-copy.ts';
import { loadPractice } from './load-practice.ts';
import { formatProblem, type Problem } from './problems.ts';

const dir = 'content/practices/riverside';
let tree: Tree;

beforeAll(async () => {
  tree = await practiceTree('riverside');
});

async function problemsOf(t: Tree): Promise<Problem[]> {
  return (await loadPractice(memReader(t), 'riverside')).problems.filter((p) => p.severity === 'error');
}

/** The one problem a broken file must give, checked for its file, line and wording. */
async function onlyProblem(t: Tree): Promise<Problem> {
  const problems = await problemsOf(t);
  expect(problems.map(formatProblem)).toHaveLength(1);
  return problems[0]!;
}

describe('loading a practice', () => {
  it('loads the demo practice with typed values and no problems', async () => {
    const r = await loadPractice(memReader(tree), 'riverside');
    expect(r.problems.map(formatProblem)).toEqual([]);
    const p = r.practice!;
    expect(p.profile.ods_code).toBe('Z99901');
    // Failsafe YAML keeps what the editor typed: the leading zero of a phone number survives.
    expect(p.profile.contact.phone).toMatch(/^0/);
    expect(p.profile.fictional).toBe(true);
    expect(p.pages.length).toBeGreaterThanOrEqual(30);
    expect(p.notices.find((n) => n.slug === 'winter-vaccines-and-phone-lines')?.data.expires).toBe('2027-04-30T16:00:00.000Z');
    expect(p.pages.find((pg) => pg.slug === 'appointments')?.url).toBe('/appointments/');
  });

  it('reports broken YAML with its file and line', async () => {
    const p = await onlyProblem(edit(tree, `${dir}/pages/appointments.md`, 'task: appointments', 'task: [appointments'));
    expect(p.file).toBe(`${dir}/pages/appointments.md`);
    expect(p.line).toBeGreaterThanOrEqual(4);
    expect(p.message).toMatch(/YAML cannot be read/);
    expect(p.fix).toMatch(/indentation/);
  });

  it('reports a missing required field and says how to add it', async () => {
    const p = await onlyProblem(edit(tree, `${dir}/pages/appointments.md`, /^summary: .*\n/m, ''));
    expect(formatProblem(p)).toMatch(/^content\/practices\/riverside\/pages\/appointments\.md:2: summary: Summary is required — add "summary:"/);
  });

  it('reports a bad ODS code on its line', async () => {
    const p = await onlyProblem(edit(tree, `${dir}/practice.yml`, 'ods_code: Z99901', 'ods_code: Z9990'));
    expect(p).toMatchObject({ file: `${dir}/practice.yml`, line: 3, field: 'ods_code' });
    expect(p.message).toBe('"Z9990" is not a GP practice ODS code');
  });

  it('refuses a supplier link to a host outside the rules', async () => {
    const p = await onlyProblem(
      edit(tree, `${dir}/practice.yml`, 'https://accurx.nhs.uk/patient-initiated/Z99901', 'https://accurx-login.example.com/patient-initiated/Z99901'),
    );
    expect(p.field).toMatch(/^online_services\.\d+\.url$/);
    expect(p.message).toMatch(/is not an address of Accurx/);
  });

  it("refuses a supplier link carrying another practice's ODS code", async () => {
    const p = await onlyProblem(edit(tree, `${dir}/practice.yml`, 'https://accurx.nhs.uk/patient-initiated/Z99901', 'https://accurx.nhs.uk/patient-initiated/A81001'));
    expect(p.message).toMatch(/carries the ODS code "A81001", not this practice's Z99901/);
  });

  const bodyCases: [string, string, RegExp][] = [
    ['a <script> element', '\n<script>alert(1)</script>\n', /<script> is not allowed/],
    ['an onerror= attribute', '\n<img src="/media/boundary-map.png" alt="" onerror="alert(1)">\n', /"onerror" attribute runs code/],
    ['a javascript: link', '\n[Click me](javascript:alert(1))\n', /"javascript:" address is not allowed/],
    ['a data: link', '\n[Open](data:text/html;base64,PHNjcmlwdD4=)\n', /"data:" address is not allowed/],
    ['an iframe', '\n<iframe src="https://example.com/"></iframe>\n', /<iframe> is not allowed/],
  ];
  for (const [what, inserted, message] of bodyCases) {
    it(`refuses ${what} in Markdown, naming the line`, async () => {
      const file = `${dir}/pages/appointments.md`;
      const original = tree.get(file)!;
      const p = await onlyProblem(new Map(tree).set(file, original + inserted));
      expect(p.file).toBe(file);
      expect(p.line).toBe(original.split('\n').length + 1);
      expect(p.message).toMatch(message);
    });
  }

  it('refuses unsafe HTML inside a Markdown field of the profile', async () => {
    const p = await onlyProblem(edit(tree, `${dir}/practice.yml`, /home_visits: [|>]-?\n/, 'home_visits: |\n  <script>alert(1)</script>\n'));
    expect(p.field).toBe('home_visits');
    expect(p.message).toMatch(/<script> is not allowed/);
  });

  it('requires an expiry on every notice', async () => {
    const p = await onlyProblem(edit(tree, `${dir}/notices/winter-vaccines-and-phone-lines.md`, /^expires: .*\n/m, ''));
    expect(p.field).toBe('expires');
    expect(p.message).toBe('Remove at is required');
  });

  it('handles the YAML traps on purpose: "no" for a boolean, and digits for a phone number', async () => {
    const p = await onlyProblem(edit(tree, `${dir}/pages/appointments.md`, 'clinical: false', 'clinical: no'));
    expect(p.message).toBe('Clinical content should be true or false, not "no"');
    expect(p.fix).toMatch(/write false/);
    const digits = await loadPractice(memReader(edit(tree, `${dir}/practice.yml`, /phone: 01632 960100/, 'phone: 01632960100')), 'riverside');
    expect(digits.practice?.profile.premises[0]?.phone).toBe('01632960100');
  });

  it('reports a date that does not exist', async () => {
    const p = await onlyProblem(edit(tree, `${dir}/pages/appointments.md`, /last_reviewed: .*/, 'last_reviewed: 2026-02-30'));
    expect(p.message).toMatch(/is not a date/);
  });

  it('reports every problem, not just the first', async () => {
    let t = edit(tree, `${dir}/practice.yml`, 'ods_code: Z99901', 'ods_code: nope');
    t = edit(t, `${dir}/pages/appointments.md`, 'clinical: false', 'clinical: maybe');
    t = edit(t, `${dir}/notices/winter-vaccines-and-phone-lines.md`, /^expires: .*\n/m, '');
    const problems = await problemsOf(t);
    expect(new Set(problems.map((p) => p.file)).size).toBe(3);
  });

  it('suggests the field an editor meant when one is misspelt', async () => {
    const problems = await problemsOf(edit(tree, `${dir}/pages/appointments.md`, 'summary:', 'sumary:'));
    expect(problems.map((x) => `${x.field}: ${x.message} — ${x.fix}`)).toEqual([
      'summary: Summary is required — add "summary:" with some text',
      'sumary: "sumary" is not a field here — did you mean "summary"? Otherwise remove it',
    ]);
  });

  it('refuses files that are not part of the content model', async () => {
    const p = await onlyProblem(new Map(tree).set(`${dir}/pages/notes.txt`, 'hello'));
    expect(p.message).toMatch(/not a Markdown file/);
  });

  it('refuses a page file that would take an address the site generates', async () => {
    const page = tree.get(`${dir}/pages/appointments.md`)!;
    const p = await onlyProblem(new Map(tree).set(`${dir}/pages/contact.md`, page));
    expect(p.message).toMatch(/\/contact\/ is used by a page the site makes itself/);
  });
});
