// Public surface of apps/ingest-example: filled in by its issue.
export {};
