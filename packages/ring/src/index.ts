// Public surface of packages/ring: filled in by its issue.
export {};
