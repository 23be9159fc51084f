import hdr from 'hdr-histogram-js';

type Histogram = ReturnType<typeof hdr.build>;

export type { Histogram };

/** Percentiles of one latency histogram, in nanoseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** The whole histogram (HdrHistogram compressed base64), so runs can be compared beyond these percentiles. */
  hdr?: string;
}

/** Tracks 1 ns .. 60 s with 3 significant digits: enough for ring hops and Redis stalls alike. */
export function newLatencyHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    autoResize: true,
  });
}

/** Records a latency, clamping the negative values a coarse clock can produce to 0 ns. */
export function recordNanos(histogram: Histogram, nanos: number): void {
  histogram.recordValue(nanos > 0 ? Math.round(nanos) : 0);
}

export function summarize(histogram: Histogram): LatencySummary {
  return {
    count: histogram.totalCount,
    min: histogram.totalCount === 0 ? 0 : histogram.minNonZeroValue,
    mean: Math.round(histogram.mean),
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p99: histogram.getValueAtPercentile(99),
    p999: histogram.getValueAtPercentile(99.9),
    max: histogram.maxValue,
  };
}

/** Histograms cross process boundaries as HdrHistogram's compressed base64 form. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 64);
}

/** The percentiles plus the encoded histogram: what children report and the JSON results keep. */
export function reportHistogram(histogram: Histogram): LatencySummary {
  return { ...summarize(histogram), hdr: encodeHistogram(histogram) };
}
