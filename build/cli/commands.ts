// The pd commands. Each is loaded only when it is run (or its help is asked for): the heavy ones
// pull in Eleventy, git and the database, which `pd validate` or `pd check --help` never need.

export interface Command {
  summary: string;
  usage: string;
  help: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.ts')).validate,
  check: async () => (await import('./commands/check.ts')).check,
  build: async () => (await import('./commands/build.ts')).build,
  start: async () => (await import('./commands/start.ts')).start,
  'pages-dev': async () => (await import('./commands/pages-dev.ts')).pagesDev,
  deploy: async () => (await import('./commands/deploy.ts')).deploy,
  rollback: async () => (await import('./commands/rollback.ts')).rollback,
  export: async () => (await import('./commands/export.ts')).exportCommand,
  import: async () => (await import('./commands/import.ts')).importCommand,
  audit: async () => (await import('./commands/audit.ts')).audit,
  history: async () => (await import('./commands/history.ts')).history,
  show: async () => (await import('./commands/show.ts')).show,
  practices: async () => (await import('./commands/practices.ts')).practices,
  members: async () => (await import('./commands/members.ts')).members,
  generate: async () => (await import('./commands/generate.ts')).generate,
  'review-due': async () => (await import('./commands/review-due.ts')).reviewDue,
  tick: async () => (await import('./commands/tick.ts')).tick,
  links: async () => (await import('./commands/links.ts')).links,
  incident: async () => (await import('./commands/incident.ts')).incident,
  portal: async () => (await import('./commands/portal.ts')).portal,
};

export async function printHelp(name?: string): Promise<void> {
  const load = name ? commands[name] : undefined;
  if (load) {
    const c = await load();
    console.log(`Usage: pd ${c.usage}\n\n${c.summary}\n\n${c.help}`);
    return;
  }
  const all = await Promise.all(Object.entries(commands).map(async ([k, l]) => [k, (await l()).summary] as const));
  const width = Math.max(...all.map(([k]) => k.length));
  console.log(
    [
      'pd: build and check GP practice websites from Markdown in git.',
      '',
      'Usage: pd <command> [options]',
      '',
      'Commands:',
      ...all.map(([k, summary]) => `  ${k.padEnd(width)}  ${summary}`),
      '',
      'Run "pd <command> --help" for the options of one command.',
    ].join('\n'),
  );
}
