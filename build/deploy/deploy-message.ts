// The commit message each Pages deployment carries: it names the practice, the revision and the
// output hash, so the next `pd deploy` can tell from Cloudflare itself whether the output changed
// (decision 0019). Wrangler sends at most 384 bytes of it, so the marks come first.

export interface DeployMarks {
  practice: string;
  revision: string;
  outputHash: string;
  /** When the deployed security.txt expires (ISO time). */
  securityTxtExpires?: string;
}

/** One line: the marks, then the subject of the content commit the revision was built from. */
export function deployMessage(m: DeployMarks, subject?: string): string {
  const marks = `pd: ${m.practice} revision ${m.revision} output sha256:${m.outputHash}${m.securityTxtExpires ? ` security.txt expires ${m.securityTxtExpires}` : ''}`;
  const line = subject?.split('\n')[0]?.trim();
  return line ? `${marks} | ${line.length > 120 ? `${line.slice(0, 119)}…` : line}` : marks;
}

/** The marks of a deployment made by `pd deploy`, or undefined for any other deployment. */
export function readDeployMessage(message: string | undefined): DeployMarks | undefined {
  const m = /^pd: ([a-z0-9-]+) revision (\S+) output sha256:([0-9a-f]{64})(?: security\.txt expires (\S+))?/.exec(message ?? '');
  if (!m) return undefined;
  return { practice: m[1]!, revision: m[2]!, outputHash: m[3]!, ...(m[4] ? { securityTxtExpires: m[4] } : {}) };
}
