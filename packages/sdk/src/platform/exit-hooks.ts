/**
 * Closes open platforms at process exit and on SIGTERM/SIGINT — once per process for all platforms,
 * added next to the application's own listeners, never replacing them.
 *
 * A signal listener suppresses Node's default "terminate", and it only runs when the event loop
 * is free (a thread spinning in a sync stream would make Ctrl-C wait). So signal listeners exist
 * only while some writer is open — what needs a clean close — and when ours is the only listener
 * for the signal we remove it after closing and re-raise the signal, keeping the default outcome.
 * The 'exit' listener (harmless) stays while any platform is open.
 */
interface Closer {
  closeForExit(): void;
}

const open = new Set<Closer>();
let exitInstalled = false;
let signalsInstalled = false;
let openWriters = 0;

function closeAll(): void {
  for (const closer of [...open]) {
    try {
      closer.closeForExit();
    } catch {
      // Exiting anyway: one platform failing to close must not keep the others open.
    }
  }
}

function onExit(): void {
  closeAll();
}

function onSignal(signal: NodeJS.Signals): void {
  closeAll();
  uninstallSignals();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

const onSigterm = (): void => onSignal('SIGTERM');
const onSigint = (): void => onSignal('SIGINT');

function installSignals(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  process.on('SIGTERM', onSigterm);
  process.on('SIGINT', onSigint);
}

function uninstallSignals(): void {
  if (!signalsInstalled) return;
  signalsInstalled = false;
  process.off('SIGTERM', onSigterm);
  process.off('SIGINT', onSigint);
}

export function trackOpenPlatform(closer: Closer): void {
  open.add(closer);
  if (!exitInstalled) {
    exitInstalled = true;
    process.on('exit', onExit);
  }
}

export function untrackOpenPlatform(closer: Closer): void {
  open.delete(closer);
  if (open.size === 0 && exitInstalled) {
    exitInstalled = false;
    process.off('exit', onExit);
  }
}

/** A writer opened (any platform): from now on SIGTERM/SIGINT close platforms first. */
export function writerOpened(): void {
  openWriters++;
  installSignals();
}

export function writerClosed(): void {
  openWriters = Math.max(0, openWriters - 1);
  if (openWriters === 0) uninstallSignals();
}
