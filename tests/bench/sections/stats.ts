/** Small statistics helpers shared by benchmark sections. */

export function percentile(values: Float64Array | readonly number[], p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index]!;
}

/** ours ÷ reference, rounded to two decimals. */
export function ratio(ours: number, reference: number): number {
  return Math.round((ours / reference) * 100) / 100;
}
