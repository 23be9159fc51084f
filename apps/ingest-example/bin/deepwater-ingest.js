#!/usr/bin/env node
import { start } from './start.js';

await start('deepwater-ingest', '../dist/cli.js');
