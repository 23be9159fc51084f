// `pnpm soak [--minutes 10] [--rate 20000] [--kill-every 60] [--cleanup-every 30] [--base DIR]`
// Runs the soak (see README.md here) and exits 0 only when every check passes, 1 when one fails, 2 on a usage error.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Platform } from '../../src/index.js';
import { soakSpec } from './feed.js';
import { parseOptions } from './options.js';
import { SoakRun } from './soak-run.js';
import { printVerdict } from './verdict.js';

const options = parseOptions(process.argv.slice(2));
let base: string;
const ownBase = options.base === undefined;
if (options.base === undefined) {
  base = mkdtempSync(join(tmpdir(), 'deepwater-soak-'));
} else {
  base = resolve(options.base);
  if (existsSync(base) && readdirSync(base).length > 0) {
    console.error(`soak: --base ${base} is not empty; give a new or empty directory`);
    process.exit(2);
  }
  mkdirSync(base, { recursive: true });
}
const removeBase = () => {
  if (ownBase && !options.keep) rmSync(base, { recursive: true, force: true });
};
console.log(`soak: base ${base}${ownBase && !options.keep ? ' (removed at the end)' : ''}`);

const platform = new Platform(base);
platform.createFeed(soakSpec(options.chunkMb, options.retentionSeconds));
const soak = new SoakRun(options, base, platform);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of soak.children()) child.process.kill('SIGKILL');
    platform.close();
    removeBase();
    console.error(`soak: interrupted by ${signal}`);
    process.exit(130);
  });
}

let passed = false;
try {
  const result = await soak.run();
  passed = printVerdict(result, options, platform);
} finally {
  for (const child of soak.children()) child.process.kill('SIGKILL');
  platform.close();
  removeBase();
}
process.exit(passed ? 0 : 1);
