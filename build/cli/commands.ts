import { build } from './commands/build.ts';
import { generate } from './commands/generate.ts';
import { members } from './commands/members.ts';
import { practices } from './commands/practices.ts';
import { pagesDev } from './commands/pages-dev.ts';
import { start } from './commands/start.ts';
import { validate } from './commands/validate.ts';
import { reviewDue } from './commands/review-due.ts';
import { deploy } from './commands/deploy.ts';
import { rollback } from './commands/rollback.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { audit } from './commands/audit.ts';
import { history } from './commands/history.ts';
import { show } from './commands/show.ts';
import { tick } from './commands/tick.ts';
import { links } from './commands/links.ts';
import { check } from './commands/check.ts';
import { incident } from './commands/incident.ts';

export interface Command {
  summary: string;
  usage: string;
  help: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = { validate, check, build, start, 'pages-dev': pagesDev, deploy, rollback, export: exportCommand, import: importCommand, audit, history, show, practices, members, generate, 'review-due': reviewDue, tick, links, incident };

export function printHelp(name?: string): void {
  const c = name ? commands[name] : undefined;
  if (c) {
    console.log(`Usage: pd ${c.usage}\n\n${c.summary}\n\n${c.help}`);
    return;
  }
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  console.log(
    [
      'pd: build and check GP practice websites from Markdown in git.',
      '',
      'Usage: pd <command> [options]',
      '',
      'Commands:',
      ...Object.entries(commands).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`),
      '',
      'Run "pd <command> --help" for the options of one command.',
    ].join('\n'),
  );
}
