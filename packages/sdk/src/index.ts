// Public surface of packages/sdk: filled in by its issue.
export {};
