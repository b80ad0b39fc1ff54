/**
 * The agent contract (`apiVersion: charter/v1`, `kind: AgentContract`) as typed data.
 * The JSON Schema in ./schema.ts is the published form of the same shape; docs/contracts.md
 * explains every field with examples.
 */
import type { FailMode, Maturity, QuotaMetric, RedactionMethod } from '../domain.ts';

export const CONTRACT_API_VERSION = 'charter/v1';
export const CONTRACT_KIND = 'AgentContract';

/** A JSON Schema (draft 2020-12) embedded in a contract. */
export type JsonSchema = Readonly<Record<string, unknown>> | boolean;

export const BUILTIN_DATA_CLASSES = ['PII', 'PHI', 'PCI', 'secret'] as const;

export interface AgentContract {
  readonly apiVersion: typeof CONTRACT_API_VERSION;
  readonly kind: typeof CONTRACT_KIND;
  readonly metadata: ContractMetadata;
  readonly spec: ContractSpec;
}

export interface ContractMetadata {
  /** Lowercase slug, unique per workspace: `support-assistant`. */
  readonly name: string;
  readonly description?: string;
  readonly owner?: string;
}

export interface ContractSpec {
  /** What happens when the engine cannot decide. Default `closed`. */
  readonly failMode?: FailMode;
  readonly flags?: ContractFlags;
  /** Overrides of catalog actions, or new actions (which must state a complexity). */
  readonly actions?: Readonly<Record<string, ActionSpec>>;
  /** Tools agents may call, as actions named `tool:<name>`. */
  readonly tools?: Readonly<Record<string, ToolSpec>>;
  /** Custom data classes beyond PII, PHI, PCI and secret. */
  readonly dataClasses?: readonly CustomDataClass[];
  /** Which fields of which actions carry which class, and how the audit trail redacts them. */
  readonly classification?: readonly FieldClassification[];
  /** Outbound (DLP) rules: what may leave through an action's output. */
  readonly outbound?: readonly OutboundRule[];
  /** Rule groups, applied in order to the agents their subjects select. */
  readonly rules?: readonly RuleGroup[];
}

export interface ContractFlags {
  /** Streaming actions (`stream_chat`, `llm_stream`) are permitted. Default true. */
  readonly streaming?: boolean;
  /** Canvas actions (`present_*`, `close_canvas`) are permitted. Default true. */
  readonly canvas?: boolean;
  /** Form submissions must carry a declared input schema and satisfy it. Default true. */
  readonly formGovernance?: boolean;
  /** Skip every check and allow; each such decision is audited as a bypass. Default false. */
  readonly emergencyBypass?: boolean;
}

export interface ActionSpec {
  /** 1–4. Required for actions not in the built-in catalog. */
  readonly complexity?: number;
  readonly description?: string;
  readonly input?: JsonSchema;
  readonly output?: JsonSchema;
}

export interface ToolSpec {
  /** 1–4; the complexity of `tool:<name>`. */
  readonly complexity: number;
  readonly description?: string;
  /** Constraints on the call's arguments. */
  readonly arguments?: JsonSchema;
  readonly output?: JsonSchema;
}

export interface CustomDataClass {
  readonly name: string;
  readonly description?: string;
}

export interface FieldClassification {
  readonly id: string;
  /** JSON pointer into the action's input or output, e.g. `/card/number`. */
  readonly path: string;
  /** Which actions it applies to; omitted means every action. */
  readonly actions?: readonly string[];
  /** Whether the path is in the input (default) or the output. */
  readonly target?: 'input' | 'output';
  readonly class: string;
  /** How the audit trail stores the value. Default `mask`. */
  readonly redact?: RedactionMethod;
}

export type OutboundEffect = 'deny' | 'redact' | 'escalate';

export interface OutboundRule {
  readonly id: string;
  /** Data classes this rule guards. */
  readonly classes: readonly string[];
  /** Actions whose output leaves the system; omitted means every action. */
  readonly actions?: readonly string[];
  readonly effect: OutboundEffect;
  readonly reason?: string;
}

export interface SubjectSelector {
  readonly agents?: readonly string[];
  readonly roles?: readonly string[];
  readonly maturity?: readonly Maturity[];
}

export interface RuleGroup {
  readonly id: string;
  readonly description?: string;
  /** Omitted means every agent this contract governs. */
  readonly subjects?: SubjectSelector;
  /** Per-action complexity overrides for these subjects. */
  readonly complexity?: Readonly<Record<string, number>>;
  readonly tools?: ToolAccess;
  /** Actions these subjects may never take. */
  readonly deny?: readonly DenyRule[];
  readonly quotas?: readonly QuotaRule[];
  readonly approvals?: readonly ApprovalRule[];
  /** Maximum tokens per stream. */
  readonly tokenCap?: number;
}

export interface ToolAccess {
  /** When any matching group lists `allow`, only the union of those tools may be called. */
  readonly allow?: readonly string[];
  /** Denied whatever else allows them. */
  readonly deny?: readonly string[];
}

export interface DenyRule {
  readonly id: string;
  readonly actions: readonly string[];
  readonly reason?: string;
}

/** A window is `<n>s`, `<n>m`, `<n>h` or `<n>d`. */
export type QuotaWindow = string;

export interface QuotaRule {
  readonly id: string;
  /** Omitted means every action. */
  readonly actions?: readonly string[];
  readonly metric: QuotaMetric;
  readonly limit: number;
  readonly window: QuotaWindow;
}

export type ConditionOperator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists' | 'matches';

export interface Condition {
  /** JSON pointer into the request input. */
  readonly path: string;
  readonly op: ConditionOperator;
  readonly value?: unknown;
}

export interface ApprovalRule {
  readonly id: string;
  readonly actions: readonly string[];
  /** All conditions must hold; omitted means always. */
  readonly when?: readonly Condition[];
  readonly reason?: string;
}
