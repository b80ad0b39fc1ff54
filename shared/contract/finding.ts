/** A problem found in contract data, before it is located in the source. */
export interface Finding {
  /** Stable code, listed in docs/contracts.md. */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Pointer segments into the contract. */
  readonly path: readonly string[];
  /** Locate the key (unknown fields, bad names) or the value. */
  readonly part: 'key' | 'value';
}
