/**
 * Closes open platforms at process exit and on SIGTERM/SIGINT — once per process for all platforms,
 * added next to the application's own listeners, never replacing them. While a platform is open
 * our signal listener exists, which would suppress Node's default "terminate"; so when ours is the
 * only listener we remove it after closing and re-raise the signal, keeping the default outcome.
 */
interface Closer {
  closeForExit(): void;
}

const open = new Set<Closer>();
let installed = false;

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
  uninstall();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

const onSigterm = (): void => onSignal('SIGTERM');
const onSigint = (): void => onSignal('SIGINT');

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  process.on('SIGTERM', onSigterm);
  process.on('SIGINT', onSigint);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  process.off('SIGTERM', onSigterm);
  process.off('SIGINT', onSigint);
}

export function trackOpenPlatform(closer: Closer): void {
  open.add(closer);
  install();
}

export function untrackOpenPlatform(closer: Closer): void {
  open.delete(closer);
  if (open.size === 0) uninstall();
}
