#!/usr/bin/env node
// `pd`: the Practice Digital command line.
import { commands, printHelp } from './commands.ts';

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  await printHelp(args[0]);
  process.exit(0);
}
const load = commands[name];
if (!load) {
  console.error(`pd: there is no command "${name}". Run "pd --help" to see the commands.`);
  process.exit(2);
}
if (args.includes('--help') || args.includes('-h')) {
  await printHelp(name);
  process.exit(0);
}
try {
  process.exitCode = await (await load()).run(args);
} catch (e) {
  console.error(`pd ${name}: ${(e as Error).message}`);
  process.exitCode = 1;
}
