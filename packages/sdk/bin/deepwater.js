#!/usr/bin/env node
import { start } from './start.js';

await start('deepwater', '../dist/cli/main.js');
