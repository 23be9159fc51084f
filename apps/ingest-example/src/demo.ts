#!/usr/bin/env node
/**
 * `pnpm demo`: replays the bundled Coinbase session through a local websocket server into <repo>/data,
 * then prints what was stored. Extra arguments are passed on (e.g. `--speed recorded`). With a
 * terminal it offers to open the Deepwater dashboard on the same base.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { parseConfig } from './config.js';
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

async function main(): Promise<void> {
  const root = findRepoRoot(APP_DIR) ?? process.cwd();
  const basePath = join(root, 'data');
  const fixture = join(APP_DIR, 'fixtures/session.jsonl');
  const config = parseConfig(
    [
      ...process.argv.slice(0, 2),
      '--replay',
      fixture,
      '--base-path',
      basePath,
      '--headless',
      '--summary',
      ...process.argv.slice(2),
    ],
    root,
  );
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
