/** The action catalog: every governed action with its complexity (1–4). */

export type ActionFamily = 'canvas' | 'streaming' | 'form' | 'tool' | 'custom';

export interface CatalogAction {
  readonly name: string;
  readonly complexity: number;
  readonly family: ActionFamily;
  readonly description: string;
}

export interface ActionCatalog {
  readonly actions: ReadonlyMap<string, CatalogAction>;
}

export const MIN_COMPLEXITY = 1;
export const MAX_COMPLEXITY = 4;

export function isComplexity(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= MIN_COMPLEXITY && (value as number) <= MAX_COMPLEXITY;
}
