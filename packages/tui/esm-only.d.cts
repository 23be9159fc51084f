// require('@deepwater/tui') throws ERR_ESM_ONLY (see esm-only.cjs): a CommonJS consumer's use of it
// fails to type-check instead of crashing at run time. `await import('@deepwater/tui')` is typed.
declare const esmOnly: {
  readonly "@deepwater/tui is ESM-only: use await import('@deepwater/tui')": never;
};
export = esmOnly;
