#!/usr/bin/env node
// The seed's command name, kept as an alias of `deepwater cleanup`.
import { runMain } from './run-main.js';

await runMain(['cleanup', ...process.argv.slice(2)]);
