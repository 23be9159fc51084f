/**
 * x86 is TSO: stores become visible in program order and loads are not reordered with older
 * loads (nor stores with older loads). V8 keeps typed-array accesses in program order on its
 * effect chain and does not cache typed-array element loads, so there an acquire load of a
 * publication word (a chunk's committed count, the registry's lastChunkId) is a plain load, as
 * @deepwater/ring's STORES_STAY_ORDERED does for its stamps: Atomics.load is a builtin call on
 * Node 20 (~7 ns), not inlined, and a spinning reader made two per poll. Elsewhere (arm64
 * reorders loads) they stay Atomics. Stores that publish stay Atomics.store everywhere: its full
 * fence is what the wake-up protocol's store-then-load-waiters order needs.
 */
export const LOADS_STAY_ORDERED = process.arch === 'x64' || process.arch === 'ia32';
