import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_PADDING, MAX_RECORD_SIZE } from '../src/index.js';
import {
  TIME_INDEX_ENTRY_LENGTH,
  TIME_INDEX_HEADER_LENGTH,
  TIME_INDEX_MAGIC,
  TIME_INDEX_VERSION,
} from '../src/time-index.js';

// The formats are written down in ARCHITECTURE.md; this keeps the document and the code in step.
const doc = readFileSync(new URL('../../../ARCHITECTURE.md', import.meta.url), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`## ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

describe('ARCHITECTURE.md', () => {
  it('documents the time index version, magic, header and entry lengths the code uses', () => {
    const text = section('Time index (schema-wasm)');
    expect(text).toContain(`**version ${TIME_INDEX_VERSION}**`);
    expect(text).toContain(`u32 0x${TIME_INDEX_MAGIC.toString(16)}`);
    expect(text).toContain(`| 6 | 2 | entry length | u16 = ${TIME_INDEX_ENTRY_LENGTH} |`);
    expect(text).toContain(`| ${TIME_INDEX_HEADER_LENGTH} + 16·i | 8 | key i | i64 |`);
  });

  it('documents the record layout bounds the compiler enforces', () => {
    const text = section('Record layout (schema-wasm)');
    expect(text).toContain(`at most ${MAX_RECORD_SIZE.toLocaleString('en-US')} bytes`);
    expect(text).toContain(`(1 ≤ N ≤ ${MAX_PADDING})`);
  });
});
