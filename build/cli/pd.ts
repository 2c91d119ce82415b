#!/usr/bin/env node
// `pd`: the Practice Digital command line.
import { commands, printHelp } from './commands.ts';

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  printHelp(args[0]);
  process.exit(0);
}
const command = commands[name];
if (!command) {
  console.error(`pd: there is no command "${name}". Run "pd --help" to see the commands.`);
  process.exit(2);
}
if (args.includes('--help') || args.includes('-h')) {
  printHelp(name);
  process.exit(0);
}
try {
  process.exitCode = await command.run(args);
} catch (e) {
  console.error(`pd ${name}: ${(e as Error).message}`);
  process.exitCode = 1;
}
