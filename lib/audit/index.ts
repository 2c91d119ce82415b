// The audit trail read from git: changes on `main`, who approved them, which revision published
// them and for how long; the rules the history must keep; one file's versions; the site at a date.
export { openObjectReader, MissingObjectError, type ObjectReader, type Commit, type Inflate } from './object-reader.ts';
export { readHistory, UnknownBranchError, type History } from './history.ts';
export { buildRecords, practicesAt, practiceOnLine, practicesRoot, type ChangeRecord, type ChangedFile, type ReviewStep, type Approval, type Person } from './records.ts';
export { publicationFinder, liveSpan, type PracticeRevisions, type RevisionManifest, type LiveSwitch, type Publication, type LiveSpan } from './revisions.ts';
export { verify, type Finding, type FolderCheck, type VerifyReport, type Rule } from './verify.ts';
export { formatTable, formatCsv, formatJson, csvField, type AuditReport } from './report.ts';
export { formatHtml, escapeHtml } from './html.ts';
export { fileHistory, commitAt, practiceCommitAt, filePath, type FileVersion } from './file-history.ts';
export { unifiedDiff, diffLines } from './line-diff.ts';
export { AuditInputError, parseAt, parseMoment, parsePeriod, ukTime, duration, type Period } from './dates.ts';
export { diffTrees, entryAt, listFiles, type FileChange, type FileStatus } from './trees.ts';
