/** Bounds on what the contract reader accepts, so hostile input costs little. */

/** Contracts larger than this are refused before they are parsed. */
export const MAX_CONTRACT_BYTES = 1024 * 1024;
/** Deepest nesting of mappings and lists (embedded schemas included). */
export const MAX_NESTING = 64;
/** Expansion bound per anchor (yaml's `maxAliasCount`: uses × nodes under the anchor). */
export const MAX_ALIAS_COUNT = 10_000;
/** At most this many diagnostics are reported for one contract. */
export const MAX_DIAGNOSTICS = 100;
