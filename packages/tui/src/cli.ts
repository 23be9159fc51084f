#!/usr/bin/env node
// Both settings must be in place before Ink and React load, hence this two-step entry (static
// imports would be evaluated first).
// React's development build re-checks every element and costs several times the CPU; an explicit
// NODE_ENV from the user still wins.
process.env.NODE_ENV ??= 'production';
// Ink draws only the final frame when CI is set, taking stdout for a log; on a terminal a person is
// watching, so the dashboard must redraw (its own process only: it starts no children).
if (process.stdout.isTTY) {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
await import('./cli-main.js');
