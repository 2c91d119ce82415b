import { writeDerived } from '../../generate/write-derived.ts';
import { repoRoot } from '../../node/paths.ts';
import type { Command } from '../commands.ts';

export const generate: Command = {
  summary: 'Regenerate the files derived from the content model',
  usage: 'generate',
  help: 'Writes schemas/generated/types.ts and schemas/json/*.schema.json from schemas/model.ts.\nRun it after changing the model; a test fails while they are stale.',
  async run() {
    const written = await writeDerived(repoRoot());
    console.log(written.length ? `Updated:\n  ${written.join('\n  ')}` : 'Everything derived from the model is up to date.');
    return 0;
  },
};
