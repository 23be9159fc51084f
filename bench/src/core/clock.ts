/** CLOCK_MONOTONIC in ns as a Number: the same clock the children stamp with. */
export function monoNowInParent(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1e9 + nanos;
}
