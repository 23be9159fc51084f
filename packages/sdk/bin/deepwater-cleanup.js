#!/usr/bin/env node
import { start } from './start.js';

await start('deepwater-cleanup', '../dist/cli/deepwater-cleanup.js');
