import { describe, expect, it } from 'vitest';
import * as sdk from '../src/index.js';

// The runtime surface of @deepwater/sdk: what users need, no internals (a new export is a decision).
describe('the sdk root exports', () => {
  it('are exactly the public classes and functions', () => {
    expect(Object.keys(sdk).sort()).toEqual(
      [
        'BaseUnavailableError',
        'DEFAULT_MAPPING_BUDGET',
        'DeepwaterError',
        'NoMemoryError',
        'NoSpaceError',
        'OverrunError',
        'Platform',
        'RecordScan',
        'RecordStream',
        'checkHealth',
        'closeFileLogger',
        'configureMappingBudget',
        'createFileLogger',
        'defineFeed',
        'labelOf',
        'parseTime',
        'runCleanup',
        'runRepair',
        'scanFeed',
      ].sort(),
    );
  });
});
