// The audit report as one self-contained HTML file for an information-governance lead: readable on
// screen and on paper (a print stylesheet, landscape A4, the table's header repeated on every page),
// accessible (a captioned table with header cells scoped to their rows and columns, headings in
// order, British English), and offline: the only style is the <style> element below, and there is
// no script, image, font or link to anything outside the file.
import { duration, ukTime } from './dates.ts';
import { approvalOf, needsAttention, periodWords, roleOf, stepWords, summaryLines, type AuditReport } from './report.ts';
import type { ChangeRecord } from './records.ts';
import type { Publication } from './revisions.ts';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');

const time = (iso: string) => `<time datetime="${escapeHtml(iso)}">${escapeHtml(ukTime(iso))}</time>`;

const style = `
  :root { color: #0b0c0c; background: #fff; }
  body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 0; }
  main { padding: 1.5rem 2rem 3rem; }
  h1 { font-size: 1.75rem; margin: 0 0 .5rem; }
  h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; }
  p, dl { max-width: 60rem; }
  dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; }
  dl.summary dt { font-weight: 600; }
  dl.summary dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; font-size: .875rem; }
  caption { text-align: left; font-weight: 600; padding: .5rem 0; }
  th, td { border: 1px solid #505a5f; padding: .35rem .5rem; text-align: left; vertical-align: top; }
  thead th { background: #f3f2f1; }
  tbody th { font-weight: normal; white-space: nowrap; }
  ul, ol { margin: .25rem 0 0; padding-left: 1.1rem; }
  td p { margin: 0 0 .25rem; }
  code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .8125rem; overflow-wrap: anywhere; }
  .flag { font-weight: 700; }
  .quiet { color: #505a5f; }
  tr.attention td, tr.attention th { background: #fff7e0; }
  @media print {
    @page { size: A4 landscape; margin: 10mm; }
    body { font-size: 9pt; }
    main { padding: 0; }
    table { font-size: 8pt; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; }
    h2 { break-after: avoid; }
    tr.attention td, tr.attention th { background: none; }
  }
`;

function files(r: ChangeRecord): string {
  if (r.files.length === 0) return '<p class="quiet">No files changed.</p>';
  const shown = r.files.slice(0, 12);
  const items = shown.map((f) => `<li>${escapeHtml(f.status)} <code>${escapeHtml(f.path)}</code>${f.clinical ? ' <span class="flag">(clinical)</span>' : ''}</li>`);
  if (r.files.length > shown.length) items.push(`<li>and ${r.files.length - shown.length} more files</li>`);
  return `<ul>${items.join('')}</ul>`;
}

function review(r: ChangeRecord): string {
  const approval = `<p>${needsAttention(r) ? '<span class="flag">Attention:</span> ' : ''}${escapeHtml(approvalOf(r)[0]!.toUpperCase() + approvalOf(r).slice(1))}.</p>`;
  if (r.review.length === 0) return approval;
  const steps = r.review.map((s) => `<li>${time(s.at)} ${escapeHtml(s.by.name)}${s.role ? ` (${escapeHtml(s.role.replace(/_/g, ' '))})` : ''}: ${escapeHtml(stepWords(s))}</li>`);
  return `${approval}<ol>${steps.join('')}</ol>`;
}

function published(r: ChangeRecord): string {
  if (r.published.length === 0) return '<p class="quiet">Not practice content.</p>';
  return r.published
    .map((p) => {
      const who = r.published.length > 1 ? `${escapeHtml(p.practice)}: ` : '';
      if (p.revision === null) return `<p>${who}no revision built from it yet.</p>`;
      const pub = p as Publication;
      const l = pub.live;
      const span = l.from
        ? `live from ${time(l.from)}${l.stillLive ? ', still live' : l.until ? ` until ${time(l.until)}` : ''}${l.seconds !== undefined ? ` (${escapeHtml(duration(l.seconds))}${l.switches > 1 ? `, switched live ${l.switches} times` : ''})` : ''}`
        : l.stillLive
          ? 'live now (since before the live history began)'
          : 'not recorded as live';
      return `<p>${who}revision <code>${escapeHtml(pub.revision)}</code>, built ${time(pub.builtAt)}; ${span}.</p>`;
    })
    .join('');
}

function row(r: ChangeRecord): string {
  const attention = needsAttention(r);
  const cells = [
    `<th scope="row">${time(r.at)}</th>`,
    `<td>${escapeHtml(r.practices.join(', ') || '(none)')}</td>`,
    `<td>${escapeHtml(r.author.name)}<br><span class="quiet">${escapeHtml(r.author.email)}</span><br>${escapeHtml(roleOf(r))}</td>`,
    `<td><p>${escapeHtml(r.subject)}${r.entry ? ` <span class="quiet">(${escapeHtml(r.entry)})</span>` : ''}${r.clinical ? ' <span class="flag">Clinical.</span>' : ''}</p>${files(r)}</td>`,
    `<td>${review(r)}</td>`,
    `<td><code>${escapeHtml(r.commit.slice(0, 12))}</code>${r.merge ? '<br><span class="quiet">merge</span>' : ''}</td>`,
    `<td>${published(r)}</td>`,
  ];
  return `<tr${attention ? ' class="attention"' : ''}>${cells.join('')}</tr>`;
}

export function formatHtml(report: AuditReport): string {
  const who = report.practice ?? 'all practices';
  const title = `Audit trail: ${who}, ${periodWords(report)}`;
  const clinical = report.changes.filter((r) => r.clinical).length;
  const attention = report.changes.filter(needsAttention).length;
  const developer = report.changes.filter((r) => r.source === 'developer').length;
  const body = report.changes.length
    ? `<table>
<caption>Every change to ${escapeHtml(who)} on ${escapeHtml(report.branch)}, ${escapeHtml(periodWords(report))}, oldest first. Times are UK time.</caption>
<thead><tr><th scope="col">When</th><th scope="col">Practice</th><th scope="col">Who</th><th scope="col">What changed</th><th scope="col">Review and approval</th><th scope="col">Commit</th><th scope="col">Published to patients</th></tr></thead>
<tbody>
${report.changes.map(row).join('\n')}
</tbody>
</table>`
    : '<p>No changes in this period.</p>';
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(summaryLines(report)[0]!)}</p>
<h2>Summary</h2>
<dl class="summary">
<dt>Practice</dt><dd>${escapeHtml(who)}</dd>
<dt>Period</dt><dd>${escapeHtml(periodWords(report))}${report.period.from || report.period.to ? ' (UK time)' : ''}</dd>
<dt>History read</dt><dd>${escapeHtml(report.branch)} at commit <code>${escapeHtml(report.head)}</code></dd>
<dt>Report made</dt><dd>${time(report.generatedAt)}</dd>
<dt>Changes</dt><dd>${report.changes.length}</dd>
<dt>Clinical changes</dt><dd>${clinical}, of which ${attention} without a review by someone other than the author</dd>
<dt>Direct developer changes</dt><dd>${developer} (made without the CMS)</dd>
</dl>
<h2>Changes</h2>
${body}
<h2>How to read this report</h2>
<dl class="summary">
<dt>When</dt><dd>When the change reached the live branch (${escapeHtml(report.branch)}).</dd>
<dt>Who</dt><dd>The person who wrote the change, and their role in the CMS; "developer (no CMS)" means it was committed directly, not through the CMS.</dd>
<dt>What changed</dt><dd>The entry and every file changed. Clinical marks an entry that says it is clinical before or after the change.</dd>
<dt>Review and approval</dt><dd>Who approved it ("reviewed by" someone else, or "published by its author" where a practice lets authors publish non-clinical changes), and the draft's history: each save, status change and review note.</dd>
<dt>Commit</dt><dd>The git commit, which anyone with the repository can look up.</dd>
<dt>Published to patients</dt><dd>The first site revision that contained the change, and how long that revision was live.</dd>
</dl>
</main>
</body>
</html>
`;
}
