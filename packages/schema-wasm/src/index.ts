// Public surface of packages/schema-wasm: filled in by its issue.
export {};
