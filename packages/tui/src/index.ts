// Public surface of packages/tui: filled in by its issue.
export {};
