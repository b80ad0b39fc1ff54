/**
 * The CharterApi implemented in-process over an open workspace: one handler per operation,
 * mapping it to the engine's services. The bridge and the Electron IPC layer serve these
 * handlers; tests and benchmarks call them directly through `createDirectApi`.
 */
import type { CharterApi, EventName, EventPayloads, OperationHandlers, OperationName } from '../../shared/api.ts';
import { buildApi, checkArgs } from '../../shared/api.ts';
import type { AppInfo, ChainReport, WorkspaceSettings } from '../../shared/api/types.ts';
import { CharterError } from '../../shared/errors.ts';
import { builtinCatalog } from '../engine/catalog.ts';
import { openWorkspace } from '../engine/workspace.ts';
import { auditEvent, auditPage, auditWindow, countEvents } from './audit-queries.ts';
import { createBundleHandlers } from './bundles.ts';
import type { BundleApiOptions } from './bundles.ts';
import { dashboardMetrics } from './dashboard-metrics.ts';
import type { EngineHandle } from './engine.ts';
import { EventHub } from './event-hub.ts';
import { loadSuite, runContractSuite, saveSuite } from './suites.ts';
import { CONTRACT_TEMPLATES } from './templates.ts';
import { verifyChainInWorker } from '../workers/run-verify.ts';
import type { VerifyInWorkerOptions } from '../workers/run-verify.ts';

export interface DirectApiOptions {
  readonly engine: EngineHandle;
  readonly workspacePath: string;
  readonly transport: AppInfo['transport'];
  readonly version?: string;
  /** Where events go; the bridge and IPC layers pass their own. */
  readonly events?: EventHub;
  /** Long chain verification; defaults to a worker thread on its own read connection. */
  readonly verifyChain?: (path: string, options: VerifyInWorkerOptions) => Promise<ChainReport>;
  /** Host-specific: Electron asks the user, then opens the link; the bridge cannot. */
  readonly openExternal?: (url: string) => Promise<boolean>;
  /** Keys and bundles: dialogs and keychain (Electron), uploads (the bridge), test knobs. */
  readonly bundles?: Pick<BundleApiOptions, 'host' | 'uploads' | 'passphraseCostLog2' | 'exportInWorker' | 'verifyInWorker'>;
}

export function createDirectHandlers(options: DirectApiOptions): OperationHandlers {
  const { engine } = options;
  const events = options.events ?? new EventHub();
  const verifyChain = options.verifyChain ?? verifyChainInWorker;
  const sqlite = engine.db.sqlite;
  const db = engine.db.kysely;
  const running = new Map<string, AbortController>();

  const settings = (): WorkspaceSettings => ({
    defaultAgentId: engine.settings.defaultAgentId(),
    defaultContract: engine.settings.defaultContract(),
    emergencyBypass: engine.settings.flags().emergencyBypass,
  });

  const found = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new CharterError('not_found', `${what} does not exist.`);
    return value;
  };

  return {
    'app.info': () => ({ version: options.version ?? '0.1.0', transport: options.transport, workspacePath: options.workspacePath }),

    'contracts.list': () => engine.contracts.list(),
    'contracts.versions': ({ name }) => engine.contracts.versions(name),
    'contracts.get': ({ name, version }) => engine.contracts.get(name, version) ?? null,
    'contracts.validate': ({ source }) => {
      const result = engine.contracts.validate(source);
      return { ok: result.ok, diagnostics: result.diagnostics };
    },
    'contracts.saveDraft': ({ source, parentHash }) => engine.contracts.saveDraft(source, parentHash),
    'contracts.publish': ({ name, version }) => engine.contracts.publish(name, version),
    'contracts.activate': ({ name, version }) => engine.contracts.activate(name, version),
    'contracts.rollback': ({ name, toVersion }) => engine.contracts.rollback(name, toVersion),
    'contracts.templates': () => CONTRACT_TEMPLATES,
    'contracts.catalog': () => [...builtinCatalog().actions.values()],

    'agents.list': () => engine.agents.list(),
    'agents.create': (input) => engine.agents.create(input),
    'agents.update': ({ id, ...patch }) => {
      found(engine.agents.get(id), `Agent "${id}"`);
      return engine.agents.update(id, patch);
    },

    'agents.createSession': ({ agentId }) => {
      if (agentId !== null) found(engine.agents.get(agentId), `Agent "${agentId}"`);
      return engine.agents.createSession(agentId);
    },

    'settings.get': () => settings(),
    'settings.update': (patch) => {
      if (patch.defaultAgentId !== undefined) engine.settings.setDefaultAgent(patch.defaultAgentId);
      if (patch.defaultContract !== undefined) engine.settings.setDefaultContract(patch.defaultContract);
      if (patch.emergencyBypass !== undefined) engine.settings.setFlag('emergencyBypass', patch.emergencyBypass);
      return settings();
    },

    'governance.simulate': ({ request, record }) => engine.governance.decide(request, { record: record ?? true }),
    'governance.cacheStats': () => engine.governance.cacheStats(),

    'tests.getSuite': ({ contract }) => ({ contract, source: loadSuite(sqlite, db, contract) }),
    'tests.saveSuite': ({ contract, source }) => {
      saveSuite(sqlite, db, contract, source);
      return { contract, source };
    },
    'tests.run': async ({ contract, source }) => {
      const suite = source ?? loadSuite(sqlite, db, contract);
      if (suite === null) throw new CharterError('not_found', `Contract "${contract}" has no test suite yet. Write one in the Tests screen or save a simulation as a test case.`);
      const version = found(engine.contracts.versions(contract).at(-1), `Contract "${contract}"`);
      return runContractSuite(version, suite, (path, opts) => openWorkspace(path, { ...opts, actor: 'charter-test' }));
    },

    'audit.window': ({ offset, limit, ...filter }) => auditWindow(sqlite, db, filter, offset, limit),
    'audit.query': (query) => auditPage(sqlite, db, query),
    'audit.count': (filter) => countEvents(sqlite, db, filter),
    'audit.get': ({ seq }) => auditEvent(sqlite, db, seq),
    'audit.verify': async ({ operationId }) => {
      if (running.has(operationId)) throw new CharterError('conflict', `Work "${operationId}" is already running.`);
      const controller = new AbortController();
      running.set(operationId, controller);
      try {
        return await verifyChain(options.workspacePath, {
          signal: controller.signal,
          onProgress: (done, total) => events.emit('progress', { operationId, done, total }),
        });
      } finally {
        running.delete(operationId);
      }
    },
    'audit.cancel': ({ operationId }) => {
      const controller = running.get(operationId);
      controller?.abort();
      return controller !== undefined;
    },

    'dashboard.metrics': (range) => dashboardMetrics(sqlite, db, range),

    'links.openExternal': async ({ url }) => (options.openExternal ? options.openExternal(url) : false),

    ...createBundleHandlers({
      ...options.bundles,
      db: engine.db,
      workspacePath: options.workspacePath,
      events,
      ...(engine.auditLog ? { audit: engine.auditLog } : {}),
    }),
  };
}

/**
 * The in-process client: the same `CharterApi` object the renderer sees, calling the handlers
 * directly. Arguments are still validated, so tests see exactly what a transport would.
 */
export function createDirectApi(options: DirectApiOptions): { readonly api: CharterApi; readonly events: EventHub } {
  const events = options.events ?? new EventHub();
  const handlers = createDirectHandlers({ ...options, events });
  const call = async (name: OperationName, args: unknown): Promise<unknown> => {
    const handler = handlers[name] as (args: unknown) => unknown;
    return handler(checkArgs(name, args));
  };
  const on = <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => events.on(event, listener);
  return { api: buildApi(call, on), events };
}
