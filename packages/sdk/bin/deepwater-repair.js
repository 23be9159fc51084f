#!/usr/bin/env node
import { start } from './start.js';

await start('deepwater-repair', '../dist/cli/deepwater-repair.js');
