import { readFileSync } from 'node:fs';

/** The installed package's version: package.json sits two levels up from both src/cli and dist/cli. */
export const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
