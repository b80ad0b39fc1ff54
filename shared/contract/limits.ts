/** Bounds on what the contract reader accepts, so hostile input costs little. */

/** Contracts larger than this are refused before they are parsed. */
export const MAX_CONTRACT_BYTES = 1024 * 1024;
/** Deepest nesting of mappings and lists (embedded schemas included). */
export const MAX_NESTING = 64;
/** YAML aliases may expand to at most this many nodes in total (yaml's `maxAliasCount`). */
export const MAX_ALIAS_COUNT = 100;
/** At most this many diagnostics are reported for one contract. */
export const MAX_DIAGNOSTICS = 100;
