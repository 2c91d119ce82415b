// Rebuilds on change, one build at a time: changes that arrive during a build are gathered and
// built together afterwards, so a burst of saves costs one rebuild, not one each.
export type Target = string | 'all';

export function rebuildQueue(run: (practices: string[] | 'all') => Promise<void>, delayMs = 50) {
  let pending = new Set<Target>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const drain = async (): Promise<void> => {
    timer = undefined;
    if (running || !pending.size) return;
    const batch = pending;
    pending = new Set();
    running = run(batch.has('all') ? 'all' : ([...batch] as string[]).sort()).finally(() => {
      running = undefined;
      if (pending.size) void drain();
    });
    await running;
  };

  return {
    add(target: Target) {
      pending.add(target);
      if (!timer && !running) timer = setTimeout(() => void drain(), delayMs);
    },
    /** Resolves when nothing is queued or running. */
    async idle() {
      while (running || timer || pending.size) {
        if (running) await running;
        else await new Promise((r) => setTimeout(r, delayMs + 5));
      }
    },
  };
}

/** The practice a changed path (relative to the repository) belongs to, or 'all' for theme and model changes. */
export function targetOf(rel: string): Target | undefined {
  const parts = rel.split(/[\\/]/);
  if (parts[0] === 'content' && parts[1] === 'practices' && parts[2] && parts.length > 3) return parts[2];
  if (parts[0] === 'themes' || parts[0] === 'schemas') return 'all';
  return undefined;
}
