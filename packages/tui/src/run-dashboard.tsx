import { render } from 'ink';
import { App } from './app.js';
import type { StateThresholds } from './data/feed-state.js';
import { DEFAULT_THRESHOLDS } from './data/feed-state.js';
import { openPlatformSource } from './data/platform-source.js';

export interface DashboardOptions {
  basePath: string;
  /**
   * Samples per second of the feeds' counters, each followed by a redraw (default 2, at most 30).
   * Each sample costs the dashboard's own CPU (about 4% of a core per Hz on the demo's 9 feeds,
   * mostly the sdk's feedStatus()), never the writer's.
   */
  refreshHz?: number;
  thresholds?: Partial<StateThresholds>;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Closes the dashboard as quitting does (terminal restored), e.g. when what it watches has ended. */
  signal?: AbortSignal;
}

/**
 * Opens the base (refusing one that does not exist), shows the dashboard until the user quits,
 * then closes everything it opened. Rejects with BaseNotFoundError for a missing base.
 * Ink draws only the final frame when the CI environment variable was set as it loaded: the CLI
 * clears it on a terminal; a program embedding this function must do the same before importing.
 */
export async function runDashboard(options: DashboardOptions): Promise<void> {
  const refreshHz = Math.min(30, Math.max(0.5, options.refreshHz ?? 2));
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const source = await openPlatformSource(options.basePath);
  try {
    const instance = render(
      <App source={source} pollIntervalMs={Math.round(1000 / refreshHz)} thresholds={thresholds} />,
      {
        // Ink spreads these over its defaults, so an explicit undefined would replace process.stdout.
        ...(options.stdout ? { stdout: options.stdout } : {}),
        ...(options.stdin ? { stdin: options.stdin } : {}),
        maxFps: Math.max(10, Math.ceil(refreshHz)),
      },
    );
    const close = () => instance.unmount();
    if (options.signal?.aborted) close();
    options.signal?.addEventListener('abort', close, { once: true });
    try {
      await instance.waitUntilExit();
    } finally {
      options.signal?.removeEventListener('abort', close);
    }
  } finally {
    source.close();
  }
}
