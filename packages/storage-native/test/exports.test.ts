import { describe, expect, it } from 'vitest';
import * as pkg from '../src/index.js';

// The runtime surface of @deepwater/storage-native: what users (the sdk first) need, no internals (a new
// export is a decision).
describe('the @deepwater/storage-native root exports', () => {
  it('are exactly the public classes, functions and constants', () => {
    expect(Object.keys(pkg).sort()).toEqual(
      [
        'MAX_MAPPING_BYTES',
        'Mapping',
        'MappingClosedError',
        'NativeAddonLoadError',
        'NativeError',
        'allocateBuffer',
        'copyBytes',
        'copyOrderedAvailable',
        'copyRecordsOrdered',
        'copyStrided',
        'copyStridedAvailable',
        'diskSpace',
        'fsyncFd',
        'fsyncPath',
        'futexWait',
        'futexWaitAsync',
        'futexWake',
        'gatherAvailable',
        'gatherFields',
        'lockHolder',
        'mallocStats',
        'mapFile',
        'nativeAddon',
        'nowMicros',
        'nowNanos',
        'openShm',
        'scatterAvailable',
        'scatterFields',
        'shmExists',
        'shmPath',
        'tryLockFile',
        'unlinkShm',
      ].sort(),
    );
  });
});
