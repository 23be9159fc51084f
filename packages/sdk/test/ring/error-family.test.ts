// One error family: the writer-lock refusal reads the same for disk and ring feeds, every
// exported error class is a DeepwaterError with a stable code, and so is every error the packages
// under the sdk throw (ring, storage-native, schema-wasm): the sdk's DeepwaterError is theirs.
import { join } from 'node:path';
import * as errorsPackage from '@deepwater/errors';
import { RingError, RingReader } from '@deepwater/ring';
import { compileLayout, SchemaError } from '@deepwater/schema-wasm';
import { mapFile, NativeError } from '@deepwater/storage-native';
import { describe, expect, it } from 'vitest';
import {
  BaseUnavailableError,
  checkHealth,
  DeepwaterError,
  NoMemoryError,
  NoSpaceError,
  OverrunError,
} from '../../src/index.js';
import { mbFor, tradeSpec, useRingBase } from './ring-test-base.js';

const t = useRingBase();

function thrown(action: () => unknown): DeepwaterError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DeepwaterError);
    return error as DeepwaterError;
  }
  throw new Error('did not throw');
}

describe('one error family', () => {
  it('a second writer is refused with one message for disk and ring feeds, naming feed, pid and lock', () => {
    const messages: string[] = [];
    for (const persist of [true, false]) {
      const name = persist ? 'disk' : 'ring';
      const p = t.open();
      p.createFeed(tradeSpec(name, { persist, chunkSizeMb: mbFor(100) }));
      const w = p.createWriter(name);
      const error = thrown(() => t.open().createWriter(name));
      expect(error).toMatchObject({ code: 'ERR_WRITER_LOCKED', feed: name, pid: process.pid });
      expect(error.message).toContain(`pid ${process.pid}`);
      messages.push(error.message.replace(name, 'FEED').replace(error.path ?? '', 'LOCK'));
      const refusedDelete = thrown(() => p.deleteFeed(name));
      expect(refusedDelete.code).toBe('ERR_WRITER_LOCKED');
      expect(refusedDelete.message).toMatch(
        /already has a writer .*; cannot delete the feed while it is open/,
      );
      w.close();
      p.deleteFeed(name);
    }
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).toBe(
      `Feed "FEED" already has a writer (pid ${process.pid}); cannot open a second writer while it is open (one writer per feed; lock LOCK)`,
    );
  });

  it('BaseUnavailableError, OverrunError, NoSpaceError and NoMemoryError are DeepwaterErrors with stable codes', () => {
    const missing = join(t.base(), 'missing');
    const error = thrown(() => checkHealth(missing));
    expect(error).toBeInstanceOf(BaseUnavailableError);
    expect(error).toMatchObject({
      code: 'ERR_BASE_UNAVAILABLE',
      path: missing,
      name: 'BaseUnavailableError',
    });
    expect(new OverrunError('x', 1)).toMatchObject({ code: 'ERR_OVERRUN', name: 'OverrunError' });
    expect(new NoSpaceError('x', 0)).toMatchObject({ code: 'ERR_NO_SPACE', name: 'NoSpaceError' });
    expect(new NoMemoryError('x', 3)).toBeInstanceOf(DeepwaterError);
    expect(new NoMemoryError('x', 3)).toMatchObject({
      code: 'ERR_NO_MEMORY',
      name: 'NoMemoryError',
      writtenRecords: 3,
    });
  });
});

describe('one error family across packages', () => {
  it('the sdk exports the DeepwaterError class of @deepwater/errors itself', () => {
    expect(DeepwaterError).toBe(errorsPackage.DeepwaterError);
  });

  it('a ring error, a native error and a schema error are all the sdk’s DeepwaterError', () => {
    const ring = thrown(() => RingReader.open(`dw-test-missing-${process.pid}`));
    expect(ring).toBeInstanceOf(RingError);
    expect(ring.code).toBe('ERR_RING_NOT_FOUND');

    const file = join(t.base(), 'missing.dwc');
    const native = thrown(() => mapFile(file));
    expect(native).toBeInstanceOf(NativeError);
    expect(native).toMatchObject({ code: 'ENOENT', path: file });

    const schema = thrown(() =>
      compileLayout([{ name: 'ts', type: 'uint64' }], 'time', { feedName: 'trades' }),
    );
    expect(schema).toBeInstanceOf(SchemaError);
    expect(schema).toMatchObject({ code: 'ERR_SCHEMA', feed: 'trades' });
  });

  it('misuse through the sdk is a TypeError/RangeError and a DeepwaterError naming feed and field', () => {
    for (const persist of [true, false]) {
      const name = persist ? 'disk-misuse' : 'ring-misuse';
      const p = t.open();
      p.createFeed(tradeSpec(name, { persist, chunkSizeMb: mbFor(100) }));
      const w = p.createWriter(name);
      const type = thrown(() => w.writeValues('1.5' as never, 1, 10));
      expect(type).toBeInstanceOf(TypeError);
      expect(type).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', feed: name, field: 'price' });
      w.writeValues(1.5, 1, 20);
      const range = thrown(() => w.writeValues(1.5, 1, 10));
      expect(range).toBeInstanceOf(RangeError);
      expect(range).toMatchObject({ code: 'ERR_OUT_OF_RANGE', feed: name, field: 'timestamp_us' });
      const reader = p.createReader(name);
      const badArgument = thrown(() => reader.range(Number.NaN, 10));
      expect(badArgument.code).toMatch(/^ERR_(INVALID_ARGUMENT|OUT_OF_RANGE)$/);
      reader.close();
      w.close();
      p.deleteFeed(name);
    }
  });
});
