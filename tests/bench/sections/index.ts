import type { BenchSection } from './section.ts';
import { decisionSection } from './decision.ts';
import { auditSection } from './audit.ts';
import { storeSection } from './store.ts';
import { bundleSection } from './bundle.ts';
import { webSection } from './web.ts';
import { hashSection } from './hash.ts';

/** Add each section here; `npm run bench -- --only=NAME` runs one. */
export const sections: readonly BenchSection[] = [decisionSection, auditSection, storeSection, bundleSection, webSection, hashSection];
