#!/usr/bin/env node
import { start } from './start.js';

await start('deepwater-bridge', '../dist/cli.js');
