import type { Command } from '../commands.ts';
export const start: Command = { summary: '(being written)', usage: 'start', help: '', async run() { return 1; } };
