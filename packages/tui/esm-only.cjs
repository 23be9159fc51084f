'use strict';
// What require('@deepwater/tui') loads. The tui is ESM-only: Ink loads its layout engine
// (yoga-layout) with top-level await, and Node's require() of ESM cannot load such a graph. Without
// this file require() failed with ERR_PACKAGE_PATH_NOT_EXPORTED, which names no reason or remedy.
const { DeepwaterError } = require('@deepwater/sdk');

throw new DeepwaterError(
  'ERR_ESM_ONLY',
  "@deepwater/tui is ESM-only: Ink loads its layout engine with top-level await, which require() cannot load; use `await import('@deepwater/tui')` (from CommonJS too)",
);
