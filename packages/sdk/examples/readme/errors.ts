import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RingReader } from '@deepwater/ring';
import { DeepwaterError, Platform } from '@deepwater/sdk';

const base = mkdtempSync(join(tmpdir(), 'dw-errors-'));
try {
  using p = new Platform(base);
  p.createFeed({
    feedName: 'trades',
    fields: [
      { name: 'price', type: 'float64' },
      { name: 'ts', type: 'uint64' },
    ],
    tsCol: 'ts',
  });
  using w = p.createWriter('trades');
  for (const attempt of [
    () => w.writeValues('1.5' as never, 1), // misuse: a TypeError, and a DeepwaterError
    () => p.createWriter('trades'), // a second writer
    () => RingReader.open('dw-no-such-ring'), // thrown by @deepwater/ring
  ]) {
    try {
      attempt();
    } catch (error) {
      if (!(error instanceof DeepwaterError)) throw error;
      console.log(error.code, error instanceof TypeError, error.field ?? '-');
    }
  }
  // ERR_INVALID_ARGUMENT true price
  // ERR_WRITER_LOCKED false -
  // ERR_RING_NOT_FOUND false -
} finally {
  rmSync(base, { recursive: true, force: true });
}
