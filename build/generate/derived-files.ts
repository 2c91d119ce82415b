// Every file derived from the content model (and the compliance rules), with its expected text. `pd generate` writes them;
// a test fails when one on disk differs (someone changed the model and forgot to regenerate, or
// edited a derived file by hand).
import { deriveComplianceDoc } from './derive-compliance-doc.ts';
import { deriveDecapCollections } from './derive-decap-config.ts';
import { deriveExportSchema } from './derive-export-schema.ts';
import { deriveJsonSchemas } from './derive-json-schema.ts';
import { deriveTypes } from './derive-types.ts';

export interface DerivedFile {
  path: string;
  text: string;
}

export function derivedFiles(): DerivedFile[] {
  return [
    { path: 'schemas/generated/types.ts', text: deriveTypes() },
    ...deriveJsonSchemas().map((s) => ({ path: `schemas/json/${s.file}`, text: JSON.stringify(s.schema, null, 2) + '\n' })),
    { path: 'schemas/json/export.schema.json', text: JSON.stringify(deriveExportSchema(), null, 2) + '\n' },
    { path: 'schemas/generated/decap-collections.json', text: JSON.stringify(deriveDecapCollections(), null, 2) + '\n' },
    { path: 'docs/compliance.md', text: deriveComplianceDoc() },
  ];
}
