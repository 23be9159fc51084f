#!/usr/bin/env node
// The seed's command name, kept as an alias of `deepwater health`.
import { runMain } from './run-main.js';

await runMain(['health', ...process.argv.slice(2)]);
