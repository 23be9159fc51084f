import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DeepwaterError } from '@deepwater/errors';
import { describe, expect, it } from 'vitest';
import { futexWait, futexWake, MappingClosedError, mapFile, NativeError } from '../src/index.js';
import { tempDir } from './helpers.js';

// Every error storage-native throws, from TypeScript or from the addon, belongs to the one
// Deepwater error family (@deepwater/errors) and carries a stable code.
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('storage-native errors are DeepwaterErrors', () => {
  it('a failed system call: NativeError with the errno name as its code and the path', () => {
    const file = path.join(tempDir(), 'missing.dwc');
    const error = thrownBy(() => mapFile(file));
    expect(error).toBeInstanceOf(NativeError);
    expect(error).toBeInstanceOf(DeepwaterError);
    expect(error).toMatchObject({ code: 'ENOENT', errno: 2, syscall: 'open', path: file });
  });

  it('misuse caught in TypeScript: a TypeError with code ERR_INVALID_ARGUMENT', () => {
    const file = path.join(tempDir(), 'x.dwc');
    const error = thrownBy(() => mapFile(file, { sise: 8 } as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(DeepwaterError);
    expect((error as DeepwaterError).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('misuse caught in the addon: a RangeError / TypeError with a code', () => {
    const file = path.join(tempDir(), 'short.dwc');
    writeFileSync(file, Buffer.alloc(4096));
    // Mapping past the end of a file (touching it would be SIGBUS) is refused by the addon.
    const beyond = thrownBy(() => mapFile(file, { size: 8192 }));
    expect(beyond).toBeInstanceOf(RangeError);
    expect(beyond).toBeInstanceOf(DeepwaterError);
    expect((beyond as DeepwaterError).code).toBe('ERR_OUT_OF_RANGE');
    expect((beyond as Error).message).toContain(file);

    const notBuffer = thrownBy(() => futexWait(new Uint8Array(8) as never, 0, 0, 0));
    expect(notBuffer).toBeInstanceOf(TypeError);
    expect(notBuffer).toBeInstanceOf(DeepwaterError);
    expect((notBuffer as DeepwaterError).code).toBe('ERR_INVALID_ARGUMENT');

    const badCount = thrownBy(() => futexWake(new ArrayBuffer(8), 0, -1));
    expect(badCount).toBeInstanceOf(RangeError);
    expect((badCount as DeepwaterError).code).toBe('ERR_OUT_OF_RANGE');
  });

  it('a closed mapping: MappingClosedError, ERR_MAPPING_CLOSED', () => {
    const mapping = mapFile(path.join(tempDir(), 'closed.dwc'), { size: 4096, create: true });
    mapping.close();
    const error = thrownBy(() => mapping.msync());
    expect(error).toBeInstanceOf(MappingClosedError);
    expect(error).toBeInstanceOf(DeepwaterError);
    expect(error).toMatchObject({ code: 'ERR_MAPPING_CLOSED' });
  });
});
