// Public surface of bench: filled in by its issue.
export {};
