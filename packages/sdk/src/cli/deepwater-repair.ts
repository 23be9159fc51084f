#!/usr/bin/env node
// The seed's command name, kept as an alias of `deepwater repair`.
import { runMain } from './run-main.js';

await runMain(['repair', ...process.argv.slice(2)]);
