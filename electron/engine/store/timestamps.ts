/** ISO-8601 UTC with milliseconds (`2025-01-31T09:00:00.000Z`), the form every timestamp in the workspace takes; it sorts as text. */
export function isoNow(): string {
  return new Date().toISOString();
}
