import type { Platform } from '@deepwater/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import type { PlatformLike } from '../src/index.js';

describe('the sdk contract the dashboard relies on', () => {
  it('is met by the sdk Platform type', () => {
    expectTypeOf<Platform>().toExtend<PlatformLike>();
  });
});
