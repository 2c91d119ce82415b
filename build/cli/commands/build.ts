import type { Command } from '../commands.ts';
export const build: Command = { summary: '(being written)', usage: 'build', help: '', async run() { return 1; } };
