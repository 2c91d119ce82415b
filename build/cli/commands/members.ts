import { parseArgs } from 'node:util';
import type { Claims } from '../../../lib/db/database.ts';
import { outboxMailer } from '../../../lib/email/outbox-node.ts';
import { invitationEmail } from '../../../lib/members/invitation-email.ts';
import { MembersError, membersService, roles, type Role } from '../../../lib/members/members.ts';
import { openConfiguredDatabase, type OpenedDatabase } from '../../db/open-database.ts';
import { repoRoot } from '../../node/paths.ts';
import { loadSettings } from '../../node/settings.ts';
import type { Command } from '../commands.ts';

export const members: Command = {
  summary: "List, invite and revoke the people who work on a practice's site",
  usage: 'members list|invite|revoke|add-admin <practice> [email] [options]',
  help: [
    'Works on the local database (or DATABASE_URL) as the person named by --as, so the database',
    "decides what they may do, exactly as it does for the portal: managers manage their own",
    "practice's members; platform admins manage any practice's.",
    '',
    '  pd members list <practice> --as <email>',
    '  pd members invite <practice> <email> --role <role> [--name <name>] [--hours <n>] --as <email>',
    '  pd members revoke <practice> <email> --as <email>',
    '  pd members add-admin <email> --user-id <uuid>   (set up the first platform admin)',
    '',
    `Roles: ${roles.join(', ')}. An urgent publisher needs --hours (at most 72).`,
    'Invitations are emailed (locally, to the outbox folder) with a link to accept them.',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { as: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, hours: { type: 'string' }, 'user-id': { type: 'string' } },
    });
    const [action, first, second] = positionals;
    const root = repoRoot();
    const settings = loadSettings(root);
    const opened = await openConfiguredDatabase(root, settings);
    try {
      if (action === 'add-admin') {
        const userId = values['user-id'];
        if (!first || !userId) throw new Error('give the admin\'s email and their user id: pd members add-admin <email> --user-id <uuid>');
        await opened.db.asService('set up a platform admin from the operator command line', (q) =>
          q.query('insert into public.platform_admins (user_id, email) values ($1, $2) on conflict (user_id) do update set email = excluded.email', [userId, first]),
        );
        console.log(`${first} is a platform admin.`);
        return 0;
      }
      if (!first) throw new Error(`name the practice, like: pd members ${action ?? 'list'} riverside --as you@example.nhs.uk`);
      const caller = await operator(opened, values.as);
      const service = membersService(opened.db);
      if (action === 'list') {
        const { members: list, invitations } = await service.list(caller, first);
        const rows = list.map((m) => [m.email, m.role, m.expiresAt ? `until ${m.expiresAt}` : '', m.active ? '' : '(expired)']);
        console.log(rows.length ? table(['Email', 'Role', 'Expiry', ''], rows) : 'No members.');
        if (invitations.length) console.log(`\nInvited:\n${table(['Email', 'Role', 'Invitation expires'], invitations.map((i) => [i.email, i.role, i.expiresAt]))}`);
        return 0;
      }
      if (action === 'invite') {
        if (!second) throw new Error('give the email of the person to invite');
        const role = values.role as Role | undefined;
        if (!role) throw new Error(`give a role with --role (${roles.join(', ')})`);
        const memberExpiresAt = values.hours ? new Date(Date.now() + Number(values.hours) * 3_600_000) : undefined;
        const { invitation, token } = await service.invite(caller, first, { email: second, role, name: values.name, memberExpiresAt });
        await outboxMailer(settings.outboxDir).send(invitationEmail(first, invitation, `${settings.portalUrl}/accept/#token=${token}`));
        console.log(`Invited ${invitation.email} as ${role}; the invitation is in ${settings.outboxDir}.`);
        return 0;
      }
      if (action === 'revoke') {
        if (!second) throw new Error('give the email of the person whose access ends');
        const r = await service.revoke(caller, first, second);
        console.log(`Revoked ${second}: ${r.revokedMemberships} membership(s), ${r.revokedInvitations} invitation(s). It takes effect on their next request.`);
        return 0;
      }
      throw new Error(`"${action ?? ''}" is not a members action: use list, invite, revoke or add-admin`);
    } catch (e) {
      if (e instanceof MembersError) {
        console.error(`pd members: ${e.message}`);
        return 1;
      }
      throw e;
    } finally {
      await opened.close();
    }
  },
};

/** The person the command acts as: a platform admin or a member, found by email. */
async function operator(opened: OpenedDatabase, email: string | undefined): Promise<Claims> {
  if (!email) throw new Error('say who you are with --as <email>: the database checks what that person may do');
  const rows = await opened.db.asService('find the user id of the person the command line acts as', (q) =>
    q.query<{ user_id: string }>(
      `select user_id from public.platform_admins where lower(email) = lower($1)
       union select user_id from public.members where lower(email) = lower($1) and revoked_at is null limit 1`,
      [email],
    ),
  );
  if (!rows[0]) throw new Error(`${email} is neither a platform admin nor a member of any practice`);
  return { sub: rows[0].user_id, email, role: 'authenticated', aal: 'aal1' };
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
