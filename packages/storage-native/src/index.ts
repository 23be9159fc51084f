// Public surface of packages/storage-native: filled in by its issue.
export {};
