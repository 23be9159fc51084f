#!/usr/bin/env node
// React's development build re-checks every element and costs the dashboard several times the CPU
// of the production build. NODE_ENV must be set before react loads, hence this two-step entry
// (static imports would be evaluated first). An explicit NODE_ENV from the user still wins.
process.env.NODE_ENV ??= 'production';
await import('./cli-main.js');
