#!/usr/bin/env node
/** deepwater-ingest: see `deepwater-ingest --help` and the README. */
import { parseConfig } from './config.js';
import { runIngest } from './run.js';

// Under `pnpm --filter … start` the cwd is the package; INIT_CWD is where the user typed the command.
const config = parseConfig(process.argv, process.env.INIT_CWD ?? process.cwd());
runIngest(config).then(
  () => {
    process.stdin.unref?.();
  },
  (error: Error) => {
    process.stderr.write(`deepwater-ingest: ${error.message}\n`);
    process.exitCode = 1;
  },
);
