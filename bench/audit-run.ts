// One timed `pd audit` (or `pd audit verify`) in a process of its own, so every run starts cold,
// as an auditor's does. Started by audit.bench.ts; prints its timings as one line of JSON.
import { audit } from '../build/cli/commands/audit.ts';

const args = JSON.parse(process.argv[2] ?? '[]') as string[];
const cpu = process.cpuUsage();
const started = performance.now();
const code = await audit.run(args);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ code, ms, cpuMs: (used.user + used.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
