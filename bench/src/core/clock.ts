/** CLOCK_MONOTONIC in ns as a Number: the same clock the children stamp with. */
export function monoNowInParent(): number {
  return Number(process.hrtime.bigint());
}
