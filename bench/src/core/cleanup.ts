/**
 * Cleanup that must happen however the run ends (normal end, error, SIGINT/SIGTERM): stopping
 * redis-server, killing children, removing temp dirs and /dev/shm objects.
 */
const actions = new Set<() => void>();
let installed = false;

export function onCleanup(action: () => void): () => void {
  install();
  actions.add(action);
  return () => actions.delete(action);
}

export function runCleanup(): void {
  for (const action of [...actions].reverse()) {
    actions.delete(action);
    try {
      action();
    } catch (error) {
      console.error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping children and cleaning up`);
      runCleanup();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
