import { readFileSync } from 'node:fs';

/** The installed package's version (package.json sits one level up from both src/ and dist/). */
export const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
