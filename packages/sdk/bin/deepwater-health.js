#!/usr/bin/env node
import { start } from './start.js';

await start('deepwater-health', '../dist/cli/deepwater-health.js');
