/**
 * Writes the bundled recorded session: node --import tsx scripts/generate-fixture.ts fixtures/session.jsonl
 * Three connections: the first ends on a sequence gap (the ingester reconnects on it), the second is
 * dropped by the server, the third runs to the end of the file.
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_PLAN, generateSession } from '../src/record/session-generator.js';

const out = process.argv[2] ?? 'fixtures/session.jsonl';
const { lines, frames } = generateSession(DEFAULT_PLAN);
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${out}: ${frames} frames, ${lines.length - frames} disconnects`);
