import type { Command } from '../commands.ts';
export const pagesDev: Command = { summary: '(being written)', usage: 'pages-dev', help: '', async run() { return 1; } };
