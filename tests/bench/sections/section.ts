export interface BenchOptions {
  /** Smaller sizes so the whole run finishes in under 60 s. */
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

export interface BenchSection {
  readonly name: string;
  run(options: BenchOptions): Promise<Record<string, number | string>>;
}
