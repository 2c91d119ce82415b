export { exportPractice, type ExportOptions } from './export-practice.ts';
export { checkExport, type ImportCheck, type ImportPlan, type ImportProblem } from './import-check.ts';
export { exportDownload, exportFileName, exportRoles, mayExport, type ExportDownload, type ExportSource } from './download.ts';
export { ExportError, type ExportErrorCode } from './errors.ts';
export { exportFormat, exportSchemaId, exportVersion } from './format.ts';
export type { ExportChange, ExportFileHistory, ExportHistory, ExportItem, ExportMedia, PracticeExport } from './format.ts';
export { schemaValidator, type SchemaProblem } from './json-schema.ts';
export { gitHistory, storeHistory, type GitAccess } from './history.ts';
