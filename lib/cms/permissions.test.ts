import { describe, expect, it } from 'vitest';
import type { Role } from '../members/members.ts';
import { mayDo, type GatewayAction } from './permissions.ts';

const roles: (Role | null)[] = [null, 'auditor', 'urgent_publisher', 'editor', 'clinical_reviewer', 'practice_manager'];
const now = new Date('2026-12-04T12:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

describe('what each role may do in the CMS', () => {
  // The whole matrix for everyday actions: [action, roles allowed].
  const matrix: [GatewayAction, (Role | null)[]][] = [
    ['read', ['auditor', 'urgent_publisher', 'editor', 'clinical_reviewer', 'practice_manager']],
    ['save-draft', ['editor', 'clinical_reviewer', 'practice_manager']],
    ['change-status', ['editor', 'clinical_reviewer', 'practice_manager']],
    ['delete-draft', ['editor', 'clinical_reviewer', 'practice_manager']],
    ['upload-media', ['editor', 'clinical_reviewer', 'practice_manager']],
    ['delete-media', ['editor', 'clinical_reviewer', 'practice_manager']],
    ['rollback', ['practice_manager']],
  ];
  for (const [action, allowed] of matrix)
    for (const role of roles)
      it(`${allowed.includes(role) ? 'lets' : 'refuses'} ${role ?? 'a non-member'} ${action}`, () => {
        expect(mayDo(role, action).allowed).toBe(allowed.includes(role));
      });

  it('publishes clinical content only by a clinical reviewer who did not write it', () => {
    const ctx = { clinical: true, authors: ['editor-1', 'reviewer-2'], publishWithoutReview: true };
    expect(mayDo('clinical_reviewer', 'publish', { ...ctx, callerId: 'reviewer-1' })).toEqual({ allowed: true });
    expect(mayDo('clinical_reviewer', 'publish', { ...ctx, callerId: 'reviewer-2' })).toMatchObject({ allowed: false, reason: expect.stringMatching(/another clinical reviewer/) });
    expect(mayDo('practice_manager', 'publish', { ...ctx, callerId: 'pm' })).toMatchObject({ allowed: false, reason: expect.stringMatching(/clinical reviewer/) });
    expect(mayDo('editor', 'publish', { ...ctx, callerId: 'editor-1' }).allowed).toBe(false);
  });

  it('lets an editor publish non-clinical content only where the practice allows it', () => {
    expect(mayDo('editor', 'publish', { publishWithoutReview: true }).allowed).toBe(true);
    expect(mayDo('editor', 'publish', { publishWithoutReview: false })).toMatchObject({ allowed: false, reason: expect.stringMatching(/reviews every change/) });
    expect(mayDo('practice_manager', 'publish', { publishWithoutReview: false }).allowed).toBe(true);
    expect(mayDo('auditor', 'publish', { publishWithoutReview: true }).allowed).toBe(false);
    expect(mayDo('urgent_publisher', 'publish', { publishWithoutReview: true }).allowed).toBe(false);
  });

  it('lets a practice manager or urgent publisher post an urgent notice that ends within 14 days', () => {
    expect(mayDo('urgent_publisher', 'post-urgent-notice', { noticeExpiresAt: days(3), now }).allowed).toBe(true);
    expect(mayDo('practice_manager', 'post-urgent-notice', { noticeExpiresAt: days(14), now }).allowed).toBe(true);
    expect(mayDo('practice_manager', 'post-urgent-notice', { noticeExpiresAt: days(15), now })).toMatchObject({ allowed: false, reason: expect.stringMatching(/at most 14 days/) });
    expect(mayDo('urgent_publisher', 'post-urgent-notice', { now })).toMatchObject({ allowed: false, reason: expect.stringMatching(/must say when/) });
    expect(mayDo('urgent_publisher', 'post-urgent-notice', { noticeExpiresAt: days(-1), now }).allowed).toBe(false);
    expect(mayDo('editor', 'post-urgent-notice', { noticeExpiresAt: days(3), now }).allowed).toBe(false);
  });

  it('gives a revoked or unknown member a reason, never a silent no', () => {
    expect(mayDo(null, 'read')).toEqual({ allowed: false, reason: 'you are not a member of this practice, or your access has ended' });
  });
});
