// The parts of the accessibility statement that the GOV.UK model words differently depending on
// what the practice declares: the compliance sentence and which "Non-accessible content"
// sub-sections appear. The legally required paragraphs (enforcement procedure, the regulations'
// name) are not here: they are fixed in the template so no content can change them.
import type { AccessibilityStatement } from '../../schemas/generated/types.ts';

export interface StatementView {
  /**
   * The compliance status sentence in the GOV.UK model's wording for the declared status, split
   * around "Web Content Accessibility Guidelines version 2.2" so the template can link the name.
   */
  compliance: { before: string; after: string };
  /** Whether the "Non-accessible content" section has anything to list. */
  hasNonAccessible: boolean;
}

const levels = { full: 'fully compliant', partial: 'partially compliant', none: 'not compliant' } as const;

export function statementView(a: AccessibilityStatement): StatementView {
  const failures = (a.non_accessible ?? []).length > 0;
  const exemptions = (a.disproportionate_burden ?? []).length + (a.out_of_scope ?? []).length > 0;
  // The model's own choice of words: "the non-compliances", "the exemptions" or both.
  const reasons = failures && exemptions ? 'non-compliances and exemptions' : failures ? 'non-compliances' : exemptions ? 'exemptions' : '';
  const before = `This website is ${levels[a.compliance] ?? 'not yet assessed as compliant'} with the`;
  let after = ' AA standard.';
  if (a.compliance === 'partial' && reasons) after = ` AA standard, due to the ${reasons} listed below.`;
  if (a.compliance === 'none' && reasons) after = ` AA standard. The ${reasons} are listed below.`;
  return { compliance: { before, after }, hasNonAccessible: failures || exemptions };
}
