/**
 * A decision plan: everything about one (agent, action) under one contract version that does
 * not depend on the request's input, output or usage. Plans are what the decision cache holds;
 * evaluating one against a request is the dynamic part of a decision.
 */
import type { OutboundEffect } from '../../../shared/contract/types.ts';
import type { Obligations, Outcome, QuotaMetric, Reason, RedactionObligation } from '../../../shared/domain.ts';
import type { Predicate } from './conditions.ts';
import type { TextDetector } from './detectors.ts';
import type { CompiledPointer } from './pointer.ts';

export interface SchemaCheck {
  readonly ruleId: string;
  readonly validate: (value: unknown) => string | null;
}

export interface QuotaCheck {
  readonly ruleId: string;
  readonly metric: QuotaMetric;
  readonly limit: number;
  readonly window: string;
  readonly windowMs: number;
}

export interface ApprovalCheck {
  readonly ruleId: string;
  readonly applies: Predicate;
  readonly reason: string;
}

export interface OutboundCheck {
  readonly ruleId: string;
  readonly effect: OutboundEffect;
  readonly reason: string;
  readonly classes: readonly string[];
  /** Output fields classified with one of the guarded classes. */
  readonly fields: readonly { readonly path: string; readonly pointer: CompiledPointer; readonly dataClass: string }[];
  /** Free-text detectors for the guarded built-in classes. */
  readonly detectors: readonly { readonly dataClass: string; readonly detect: TextDetector }[];
}

export interface DecisionPlan {
  readonly action: string;
  /** Non-empty means the action is denied whatever the request holds. */
  readonly denials: readonly Reason[];
  readonly bypass: boolean;
  readonly staticRules: readonly string[];
  readonly input: SchemaCheck | null;
  readonly output: SchemaCheck | null;
  readonly outbound: readonly OutboundCheck[];
  readonly quotas: readonly QuotaCheck[];
  readonly approvals: readonly ApprovalCheck[];
  readonly redactions: readonly RedactionObligation[];
  readonly tokenCap: number | undefined;
  /**
   * The verdict, decided already, when nothing in the request can change it: a denial, a
   * bypass, or an action with no input checks, quotas or approvals. Output checks still run
   * when a request carries output.
   */
  readonly fixed: FixedVerdict | null;
}

export interface FixedVerdict {
  readonly outcome: Outcome;
  readonly reasons: readonly Reason[];
  readonly obligations: Obligations;
  readonly rulesEvaluated: readonly string[];
}
