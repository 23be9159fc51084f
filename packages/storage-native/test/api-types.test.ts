import type { SystemErrorCode } from '@deepwater/errors';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  FileLock,
  FutexWaitResult,
  LockFileOptions,
  MapFileOptions,
  Mapping,
  NativeError,
  ShmOptions,
} from '../src/index.js';
import * as api from '../src/index.js';

// The sdk and ring are written against these exact signatures.
describe('public API types', () => {
  it('matches the contract', () => {
    expectTypeOf(api.mapFile).toEqualTypeOf<(path: string, options?: MapFileOptions) => Mapping>();
    expectTypeOf(api.openShm).toEqualTypeOf<(name: string, options?: ShmOptions) => Mapping>();
    expectTypeOf(api.unlinkShm).toEqualTypeOf<(name: string) => boolean>();
    expectTypeOf(api.shmExists).toEqualTypeOf<(name: string) => boolean>();
    expectTypeOf<Mapping['buffer']>().toEqualTypeOf<ArrayBuffer>();
    expectTypeOf<Mapping['kind']>().toEqualTypeOf<'file' | 'shm'>();
    expectTypeOf<Mapping['msyncAsync']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<Mapping>().toExtend<Disposable>();
    expectTypeOf(api.tryLockFile).toEqualTypeOf<
      (path: string, options?: LockFileOptions) => FileLock | null
    >();
    expectTypeOf(api.lockHolder).toEqualTypeOf<(path: string) => number | null>();
    expectTypeOf<FileLock>().toExtend<Disposable>();
    expectTypeOf<FutexWaitResult>().toEqualTypeOf<'ok' | 'timed-out' | 'not-equal'>();
    expectTypeOf(api.futexWait).returns.toEqualTypeOf<FutexWaitResult>();
    expectTypeOf(api.futexWaitAsync).returns.toEqualTypeOf<Promise<FutexWaitResult>>();
    expectTypeOf(api.futexWake).toEqualTypeOf<
      (buffer: ArrayBuffer, byteOffset: number, count?: number) => number
    >();
    expectTypeOf(api.nowMicros).toEqualTypeOf<() => number>();
    expectTypeOf(api.nowNanos).toEqualTypeOf<() => bigint>();
    expectTypeOf(api.diskSpace).returns.toEqualTypeOf<api.DiskSpace>();
    expectTypeOf(api.mallocStats).returns.toEqualTypeOf<api.MallocStats | undefined>();
    expectTypeOf<NativeError['code']>().toEqualTypeOf<SystemErrorCode>(); // an errno name, 'ENOENT'
    expectTypeOf<NativeError['path']>().toEqualTypeOf<string | undefined>();
  });
});
