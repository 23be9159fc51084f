/** One deoptimisation from V8's --trace-deopt(-verbose) output. */
export interface TracedDeopt {
  /** Why, e.g. "Insufficient type feedback for generic keyed access". */
  reason: string;
  /** The function whose optimised code was left. */
  fn: string;
  /** Where (source position; --trace-deopt-verbose only). */
  at: string;
}

/** The deopts V8 traced: the reason, the function deoptimised, and the position it deoptimised at. */
export function deoptsOf(trace: string): TracedDeopt[] {
  const deopts: TracedDeopt[] = [];
  const lines = trace.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // Anywhere in a line: V8 writes its trace to stdout unsynchronised with console.log.
    const reason = /\[bailout \(kind: [^,]+, reason: ([^)]*)\)/.exec(line)?.[1];
    if (reason === undefined) continue;
    const fn = /deoptimizing \S+ <JSFunction (\S+)/.exec(line)?.[1] ?? '';
    const at = /deoptimize at <([^>]*)>/.exec(lines[i + 1] ?? '')?.[1] ?? '';
    deopts.push({ reason, fn, at });
  }
  return deopts;
}
