import type { EmailMessage } from '../email/mailer.ts';
import type { Invitation } from './members.ts';

const roleNames: Record<Invitation['role'], string> = {
  practice_manager: 'practice manager',
  urgent_publisher: 'urgent publisher',
  clinical_reviewer: 'clinical reviewer',
  editor: 'editor',
  auditor: 'auditor',
};

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The invitation email: what the role is, the link to accept it, and when the offer ends. */
export function invitationEmail(practice: string, invitation: Invitation, link: string): EmailMessage {
  const role = roleNames[invitation.role];
  const until = new Date(invitation.expiresAt).toUTCString();
  return {
    to: invitation.email,
    subject: `You have been invited to work on the ${practice} website`,
    text: [
      `You have been invited to work on the ${practice} website as ${role}.`,
      '',
      'To accept, open this link and sign in with this email address:',
      link,
      '',
      `The invitation ends on ${until}. If you did not expect it, you can ignore this email.`,
    ].join('\n'),
    html: [
      `<p>You have been invited to work on the ${escape(practice)} website as ${role}.</p>`,
      `<p><a href="${escape(link)}">Accept the invitation</a> and sign in with this email address.</p>`,
      `<p>The invitation ends on ${escape(until)}. If you did not expect it, you can ignore this email.</p>`,
    ].join('\n'),
  };
}
