#!/usr/bin/env node
/**
 * `pnpm demo`: replays the bundled Coinbase session through a local websocket server into <repo>/data,
 * then prints what was stored. Extra arguments are passed on (e.g. `--speed recorded`). With a
 * terminal it offers to open the Deepwater dashboard on the same base.
 *
 * `pnpm demo -- --live-view`: the same replay paced at the recorded speed, in the background, with the
 * dashboard open on the base while it runs; both end when the session does.
 *
 * The demo stamps records with the wall clock (`--clock wall`), so that running it again appends to
 * <repo>/data (a recorded-clock replay would repeat the recorded times, which an existing feed refuses)
 * and the dashboard's ages are real; `--clock recorded` overrides it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Platform } from '@deepwater/sdk';
import { type IngestConfig, parseConfig } from './config.js';
import type { ControlIo } from './controls.js';
import { createLogger } from './log.js';
import { runIngest } from './run.js';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The workspace root (where pnpm-workspace.yaml is), so ./data lands at the repo root whatever the cwd. */
export function findRepoRoot(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

async function offerDashboard(root: string, basePath: string): Promise<void> {
  const dashboard = join(root, 'packages/tui/dist/cli.js');
  if (!process.stdin.isTTY || !process.stdout.isTTY || !existsSync(dashboard)) {
    // pnpm does not link a package's own bin into its exec PATH, so name the built file directly.
    const build = existsSync(dashboard) ? '' : 'pnpm --filter @deepwater/tui... build && ';
    console.log(`\nWatch it live: ${build}node packages/tui/dist/cli.js --base-path ${basePath}`);
    return;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question('\nOpen the dashboard on this base? [y/N] ');
  rl.close();
  if (answer.trim().toLowerCase() !== 'y') return;
  await new Promise<void>((resolve) => {
    spawn(process.execPath, [dashboard, '--base-path', basePath], { stdio: 'inherit' }).on('exit', () =>
      resolve(),
    );
  });
}

const LIVE_VIEW = '--live-view';
/** How long the dashboard keeps showing the final state after the session ended. */
const LIVE_VIEW_LINGER_MS = 3000;
/** The dashboard needs a moment to load and draw: the replay starts after it, so no frame goes unseen. */
const LIVE_VIEW_HEAD_START_MS = 1500;

/**
 * Runs the dashboard in a child process on the terminal while the replay ingests in this one, then
 * closes it (SIGTERM: it quits as 'q' does) a moment after the session ended.
 */
async function liveView(root: string, config: IngestConfig): Promise<void> {
  const dashboard = join(root, 'packages/tui/dist/cli.js');
  if (!existsSync(dashboard)) {
    throw new Error(
      `the dashboard is not built: pnpm --filter @deepwater/tui... build (${dashboard} is missing)`,
    );
  }
  // The dashboard refuses a base that does not exist: create it (its feeds appear as the ingest starts).
  new Platform(config.basePath).close();
  const child = spawn(process.execPath, [dashboard, '--base-path', config.basePath], { stdio: 'inherit' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Nothing on the terminal but the dashboard: the ingest's log would tear its frames.
  const quiet: ControlIo = { stdin: new PassThrough(), stdout: new PassThrough() };
  const stopWhenClosed = () => process.kill(process.pid, 'SIGINT'); // the user quit: stop the ingest too
  child.once('exit', stopWhenClosed);
  try {
    await Promise.race([exited, delay(LIVE_VIEW_HEAD_START_MS)]);
    const result = await runIngest(config, quiet, createLogger('silent'));
    child.off('exit', stopWhenClosed);
    await Promise.race([exited, delay(LIVE_VIEW_LINGER_MS)]);
    child.kill('SIGTERM');
    await exited;
    console.log(
      `Live view ended: ${result.metrics.messages.total} messages replayed into ${config.basePath} at speed ${config.speed}.`,
    );
  } finally {
    child.off('exit', stopWhenClosed);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const root = findRepoRoot(APP_DIR) ?? process.cwd();
  const basePath = join(root, 'data');
  const fixture = join(APP_DIR, 'fixtures/session.jsonl');
  const args = process.argv.slice(2);
  const live = args.includes(LIVE_VIEW);
  const config = parseConfig(
    [
      ...process.argv.slice(0, 2),
      '--replay',
      fixture,
      '--base-path',
      basePath,
      '--headless',
      '--clock',
      'wall',
      ...(live ? ['--speed', 'recorded', '--log-level', 'silent'] : ['--summary']),
      ...args.filter((a) => a !== LIVE_VIEW),
    ],
    root,
  );
  if (live) {
    await liveView(root, config);
    return;
  }
  console.log(
    `Deepwater ingest demo: ${fixture}\n  → local websocket server → ingester → ${config.basePath}\n`,
  );
  await runIngest(config);
  await offerDashboard(root, config.basePath);
}

main().catch((error: Error) => {
  process.stderr.write(`demo: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
