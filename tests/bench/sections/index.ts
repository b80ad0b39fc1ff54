import type { BenchSection } from './section.ts';

/** Add each section here; `npm run bench -- --only=NAME` runs one. */
export const sections: readonly BenchSection[] = [];
