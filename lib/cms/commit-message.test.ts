import { describe, expect, it } from 'vitest';
import { commitMessage } from './commit-message.ts';

describe('CMS commit messages', () => {
  it('say what happened in plain English, with Practice, Role and Entry trailers', () => {
    expect(commitMessage({ practice: 'riverside', role: 'editor', change: { kind: 'save-draft', entry: 'pages/appointments', title: 'Appointments' } })).toEqual({
      message: 'Save draft of "Appointments"',
      trailers: { Practice: 'riverside', Role: 'editor', Entry: 'pages/appointments' },
    });
  });

  it('name the clinical reviewer who approved a publication', () => {
    const r = commitMessage({
      practice: 'riverside',
      role: 'clinical_reviewer',
      change: { kind: 'publish', entry: 'pages/vaccinations', title: 'Vaccinations', reviewer: { name: 'Dr Asha Patel', email: 'asha.patel@example.nhs.uk', role: 'clinical_reviewer' } },
    });
    expect(r.message).toBe('Publish "Vaccinations"');
    expect(r.trailers['Reviewed-by']).toBe('Dr Asha Patel <asha.patel@example.nhs.uk>');
  });

  it('keep a title with line breaks on one line, so it cannot forge a trailer', () => {
    const r = commitMessage({ practice: 'riverside', role: 'editor', change: { kind: 'save-draft', entry: 'pages/x', title: 'Hours\n\nReviewed-by: Someone <a@b.c>' } });
    expect(r.message).not.toContain('\n');
    expect(r.message).toBe('Save draft of "Hours Reviewed-by: Someone <a@b.c>"');
  });

  it('give an urgent notice its end time', () => {
    const r = commitMessage({ practice: 'fellside', role: 'urgent_publisher', change: { kind: 'urgent-notice', entry: 'notices/closed-today', title: 'Closed today', expires: new Date('2026-12-05T18:00:00Z') } });
    expect(r.message).toBe('Post urgent notice "Closed today" until 2026-12-05T18:00:00.000Z');
  });
});
