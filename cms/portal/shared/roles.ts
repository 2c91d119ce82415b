// Roles in the words people use, and what each may do (docs/security.md).
import { roles, type Role } from '../../../lib/members/members.ts';

export { roles, type Role };

export const roleNames: Readonly<Record<Role, string>> = {
  practice_manager: 'practice manager',
  urgent_publisher: 'urgent publisher',
  clinical_reviewer: 'clinical reviewer',
  editor: 'editor',
  auditor: 'auditor',
};

export const roleDescriptions: Readonly<Record<Role, string>> = {
  practice_manager: 'can change everything for the practice, including who has access',
  urgent_publisher: 'can post urgent notices, for a limited time only',
  clinical_reviewer: 'can edit, and approve clinical changes made by others',
  editor: 'can edit; clinical changes wait for a clinical reviewer',
  auditor: 'can read the members, billing and the membership log',
};

/** "an editor", "a practice manager". */
export const withArticle = (role: Role) => `${/^[aeiou]/.test(roleNames[role]) ? 'an' : 'a'} ${roleNames[role]}`;
