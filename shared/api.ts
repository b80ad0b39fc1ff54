/**
 * The CharterApi: every operation the UI can ask for, named ONCE in `operations` with its
 * argument validator and result type, plus the events the UI can listen to. Everything else is
 * derived from this table: the preload's `window.charter` methods, the ipcMain handlers, the
 * bridge's HTTP routes, the renderer's clients and the direct in-process implementation.
 */
import type { AuditEvent } from './audit.ts';
import type { CatalogAction } from './catalog.ts';
import type { Agent, ContractVersion, Decision, Session } from './domain.ts';
import { MATURITY_LEVELS, OUTCOMES } from './domain.ts';
import type { CharterErrorCode, Diagnostic } from './errors.ts';
import { CharterError } from './errors.ts';
import type {
  AppInfo,
  AuditRow,
  AuditWindow,
  BundleEventDetail,
  BundleEventsPage,
  BundleExportResult,
  BundleOpenResult,
  CacheStats,
  ChainReport,
  ContractSummary,
  ContractTemplate,
  DashboardMetrics,
  KeyStatus,
  KeysList,
  SigningKeySummary,
  SuiteSource,
  TestRunReport,
  ValidationReport,
  WorkspaceSettings,
} from './api/types.ts';
import type { Infer, Validator } from './api/validate.ts';
import { bool, int, json, nullable, num, object, oneOf, optional, str } from './api/validate.ts';

export type * from './api/types.ts';

/** Declares one operation: its argument validator and (as a phantom) its result type. */
interface Operation<A, R> {
  readonly args: Validator<A>;
  readonly __result?: R;
}

function op<R>() {
  return <A>(args: Validator<A>): Operation<A, R> => ({ args });
}

const name = str({ min: 1, max: 200 });
const contractName = str({ min: 1, max: 100, pattern: /^[a-z0-9][a-z0-9-]*$/ });
const version = int({ min: 1 });
const source = str({ max: 512 * 1024 });
const isoTime = str({ max: 40, pattern: /^\d{4}-\d{2}-\d{2}T[0-9:.]+Z$/ });
/** Caller-chosen id for long work, so it can be cancelled and its progress matched. */
const operationId = str({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ });
const none = object({});
/** Never stored, never logged: it only opens (or seals) the signing key for this one call. */
const passphrase = str({ min: 1, max: 1024 });
const kid = str({ min: 43, max: 43, pattern: /^[A-Za-z0-9_-]+$/ });
/** A main-side id for an opened bundle, an export or an upload; never a path. */
const handleId = str({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/ });

const auditFilter = {
  agentId: optional(name),
  action: optional(name),
  outcome: optional(oneOf(OUTCOMES as readonly ['allow', 'deny', 'escalate'])),
  traceId: optional(name),
  fromTs: optional(isoTime),
  toTs: optional(isoTime),
};

const decisionRequest = object({
  agentId: optional(name),
  sessionId: optional(name),
  action: name,
  input: optional(json),
  output: optional(json),
  usage: optional(object({ calls: optional(num({ min: 0 })), tokens: optional(num({ min: 0 })), bytes: optional(num({ min: 0 })), cost: optional(num({ min: 0 })) })),
  traceId: optional(name),
});

export const operations = {
  'app.info': op<AppInfo>()(none),

  'contracts.list': op<readonly ContractSummary[]>()(none),
  'contracts.versions': op<readonly ContractVersion[]>()(object({ name: contractName })),
  'contracts.get': op<ContractVersion | null>()(object({ name: contractName, version: optional(version) })),
  'contracts.validate': op<ValidationReport>()(object({ source })),
  'contracts.saveDraft': op<ContractVersion>()(object({ source, parentHash: nullable(str({ min: 64, max: 64 })) })),
  'contracts.publish': op<ContractVersion>()(object({ name: contractName, version })),
  'contracts.activate': op<ContractVersion>()(object({ name: contractName, version })),
  'contracts.rollback': op<ContractVersion>()(object({ name: contractName, toVersion: version })),
  'contracts.templates': op<readonly ContractTemplate[]>()(none),
  /** The built-in action catalog, for completion and hover docs in the editor. */
  'contracts.catalog': op<readonly CatalogAction[]>()(none),

  'agents.list': op<readonly Agent[]>()(none),
  'agents.create': op<Agent>()(object({
    id: optional(str({ min: 1, max: 100, pattern: /^[A-Za-z0-9_.-]+$/ })),
    name,
    role: name,
    maturity: oneOf(MATURITY_LEVELS),
    contract: optional(nullable(contractName)),
  })),
  'agents.update': op<Agent>()(object({
    id: name,
    name: optional(name),
    role: optional(name),
    maturity: optional(oneOf(MATURITY_LEVELS)),
    contract: optional(nullable(contractName)),
  })),

  /** A session to simulate under; null agent means the session resolves to the defaults. */
  'agents.createSession': op<Session>()(object({ agentId: nullable(name) })),

  'settings.get': op<WorkspaceSettings>()(none),
  'settings.update': op<WorkspaceSettings>()(object({
    defaultAgentId: optional(nullable(name)),
    defaultContract: optional(nullable(contractName)),
    emergencyBypass: optional(bool),
  })),

  'governance.simulate': op<Decision>()(object({ request: decisionRequest, record: optional(bool) })),
  'governance.cacheStats': op<CacheStats>()(none),

  'tests.getSuite': op<SuiteSource>()(object({ contract: contractName })),
  'tests.saveSuite': op<SuiteSource>()(object({ contract: contractName, source })),
  'tests.run': op<TestRunReport>()(object({ contract: contractName, source: optional(source) })),

  'audit.window': op<AuditWindow>()(object({ ...auditFilter, offset: int({ min: 0 }), limit: int({ min: 1, max: 500 }) })),
  'audit.query': op<readonly AuditRow[]>()(object({
    ...auditFilter,
    afterSeq: optional(int({ min: 0 })),
    beforeSeq: optional(int({ min: 1 })),
    limit: optional(int({ min: 1, max: 500 })),
    order: optional(oneOf(['asc', 'desc'] as const)),
  })),
  'audit.count': op<number>()(object(auditFilter)),
  'audit.get': op<AuditEvent | null>()(object({ seq: int({ min: 1 }) })),
  'audit.verify': op<ChainReport>()(object({ operationId })),
  'audit.cancel': op<boolean>()(object({ operationId })),

  'dashboard.metrics': op<DashboardMetrics>()(object({
    fromTs: optional(isoTime),
    toTs: optional(isoTime),
    buckets: optional(int({ min: 1, max: 200 })),
  })),

  /** Does this workspace have a signing key, and does using it need a passphrase here? */
  'keys.status': op<KeyStatus>()(none),
  /** `passphrase` only where there is no keychain (keys.status says so). */
  'keys.create': op<SigningKeySummary>()(object({ passphrase: optional(passphrase) })),
  'keys.rotate': op<SigningKeySummary>()(object({ passphrase: optional(passphrase) })),
  'keys.list': op<KeysList>()(none),
  /** Trusts the Ed25519 keys of a JWKS (or one JWK) the user chose; returns the kids trusted. */
  'keys.trust': op<readonly string[]>()(object({ jwks: json, label: optional(str({ max: 200 })) })),
  'keys.untrust': op<boolean>()(object({ kid })),

  /**
   * Exports a signed bundle of the period (`from` inclusive, `to` exclusive). The main side
   * chooses where it goes (a save dialog; over the bridge `exports/` beside the workspace).
   */
  'bundles.export': op<BundleExportResult>()(object({
    from: optional(isoTime),
    to: optional(isoTime),
    passphrase: optional(passphrase),
    operationId,
  })),
  /** Stops an export or a verification started with this operationId. */
  'bundles.cancel': op<boolean>()(object({ operationId })),
  /**
   * Verifies a bundle against this workspace's trusted keys: one just exported (`exportId`), one
   * uploaded over the bridge (`upload`, set by the bridge itself), or else one the user picks in
   * a file dialog.
   */
  'bundles.open': op<BundleOpenResult>()(object({
    operationId,
    exportId: optional(handleId),
    upload: optional(handleId),
  })),
  /** Events of a verified bundle, page by page, filtered. */
  'bundles.browse': op<BundleEventsPage>()(object({
    handle: handleId,
    offset: int({ min: 0 }),
    limit: int({ min: 1, max: 500 }),
    agentId: optional(name),
    action: optional(name),
    outcome: optional(oneOf(OUTCOMES as readonly ['allow', 'deny', 'escalate'])),
    type: optional(name),
  })),
  /** One event with its payload and its inclusion proof against the signed root. */
  'bundles.event': op<BundleEventDetail>()(object({ handle: handleId, seq: int({ min: 1 }) })),
  /** A contract version's YAML as carried in the bundle. */
  'bundles.contract': op<string>()(object({ handle: handleId, name: contractName, version })),
  /** The bundle's own HTML report (no script; shown sandboxed). */
  'bundles.report': op<string>()(object({ handle: handleId })),
  'bundles.close': op<boolean>()(object({ handle: handleId })),

  /** Asks the host to open an https link outside the app, after the user confirms. */
  'links.openExternal': op<boolean>()(object({ url: str({ min: 8, max: 2048, pattern: /^https:\/\// }) })),
} as const;

export type OperationName = keyof typeof operations;
export const OPERATION_NAMES = Object.keys(operations) as readonly OperationName[];

export type ArgsOf<N extends OperationName> = Infer<(typeof operations)[N]['args']>;
export type ResultOf<N extends OperationName> = (typeof operations)[N] extends Operation<unknown, infer R> ? R : never;

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(operations, value);
}

/** Validates `args` for `name`; throws `invalid_argument` with a pointer for each problem. */
export function checkArgs<N extends OperationName>(name: N, args: unknown): ArgsOf<N> {
  const validator = operations[name].args as Validator<ArgsOf<N>>;
  const problems: Diagnostic[] = [];
  validator.check(args, '', problems);
  if (problems.length > 0) {
    const first = problems[0] as Diagnostic;
    throw new CharterError('invalid_argument', `${name}: ${first.pointer || '/'} ${first.message}`, problems);
  }
  return args as ArgsOf<N>;
}

// ---- events -------------------------------------------------------------------------------

export interface EventPayloads {
  /** New events were appended to the audit trail (by this app or another process). */
  readonly 'audit.appended': { readonly headSeq: number; readonly rows: readonly AuditRow[] };
  /** Progress of long work started with an operationId. */
  readonly progress: { readonly operationId: string; readonly done: number; readonly total: number };
  /** Tokens of a governed stream, as they arrive. */
  readonly 'stream.token': { readonly executionId: string; readonly token: string };
}
export type EventName = keyof EventPayloads;
export const EVENT_NAMES: readonly EventName[] = ['audit.appended', 'progress', 'stream.token'];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}

export type EventListener<E extends EventName> = (payload: EventPayloads[E]) => void;

// ---- the API object, by group ------------------------------------------------------------

type GroupOf<N> = N extends `${infer G}.${string}` ? G : never;
type MethodsOf<G extends string> = {
  readonly [N in OperationName as N extends `${G}.${infer M}` ? M : never]: (args: ArgsOf<N>) => Promise<ResultOf<N>>;
};

/** What `window.charter` is, whichever transport is behind it. */
export type CharterApi = { readonly [G in GroupOf<OperationName>]: MethodsOf<G> } & {
  /** Subscribes to an event; returns the unsubscribe function. */
  readonly on: <E extends EventName>(event: E, listener: EventListener<E>) => () => void;
};

/** The flat form every transport implements: one function per operation name. */
export type OperationHandlers = { readonly [N in OperationName]: (args: ArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>> };

export function splitName(name: OperationName): readonly [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}

/**
 * Builds the grouped API object from one caller per operation. Every transport's client (the
 * preload, the bridge client, the direct client used in tests) is this, with its own `call`.
 */
export function buildApi(
  call: (name: OperationName, args: unknown) => Promise<unknown>,
  on: CharterApi['on'],
): CharterApi {
  const groups: Record<string, Record<string, (args: unknown) => Promise<unknown>>> = {};
  for (const opName of OPERATION_NAMES) {
    const [group, method] = splitName(opName);
    const target = (groups[group] ??= {});
    target[method] = (args: unknown) => call(opName, args ?? {});
  }
  return { ...groups, on } as unknown as CharterApi;
}

// ---- the wire envelope -------------------------------------------------------------------

export interface WireError {
  readonly code: CharterErrorCode;
  readonly message: string;
  readonly diagnostics: readonly Diagnostic[];
}

export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

/** Turns anything thrown into words for the user; an unexpected error never leaks its stack. */
export function toWireError(error: unknown): WireError {
  if (error instanceof CharterError) {
    return { code: error.code, message: error.message, diagnostics: error.diagnostics };
  }
  return { code: 'internal', message: 'Something went wrong inside Charter. The details were logged; try again, and report it if it repeats.', diagnostics: [] };
}

export function fromWireError(error: WireError): CharterError {
  return new CharterError(error.code, error.message, error.diagnostics);
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw fromWireError(envelope.error);
}
