// Stops a `wrangler pages dev` a test started (its own process group): SIGTERM, then SIGKILL if it
// lingers. workerd runs in the same group and can outlive a wrangler that has exited.
import type { ChildProcess } from 'node:child_process';

export async function stopWrangler(wrangler: ChildProcess | undefined): Promise<void> {
  const pid = wrangler?.pid;
  if (!wrangler || !pid) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // Already gone.
    }
  };
  const exited = new Promise<boolean>((resolve) => {
    if (wrangler.exitCode !== null || wrangler.signalCode !== null) resolve(true);
    else wrangler.once('exit', () => resolve(true));
  });
  signal('SIGTERM');
  const stopped = await Promise.race([exited, new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
  signal(stopped ? 'SIGTERM' : 'SIGKILL');
  if (!stopped) await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
}
