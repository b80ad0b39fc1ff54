/** Quota windows: `30s`, `5m`, `1h`, `1d`, aligned to the epoch so replays are deterministic. */

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WINDOW = /^([1-9][0-9]{0,5})([smhd])$/;

export function parseWindow(window: string): number | undefined {
  const match = WINDOW.exec(window);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function windowStart(now: number, windowMs: number): number {
  return now - (now % windowMs);
}
