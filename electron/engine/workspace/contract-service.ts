/**
 * Contract versions: drafts are editable, published versions immutable; every save names the
 * version it started from, so divergent edits are refused instead of overwriting each other.
 */
import { contractHash } from '../../../shared/contract/hash.ts';
import type { ContractParseResult } from '../../../shared/contract/parse.ts';
import { parseContract } from '../../../shared/contract/parse.ts';
import type { ContractVersion } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { ContractService, ContractSummary } from '../services.ts';
import {
  getActiveVersion,
  getVersion,
  headVersion,
  insertVersion,
  listContracts,
  listVersions,
  setStatus,
  updateDraft,
  upsertContract,
} from '../store/contracts-repository.ts';
import type { WorkspaceContext } from './workspace-context.ts';

export class WorkspaceContractService implements ContractService {
  readonly #ctx: WorkspaceContext;

  constructor(ctx: WorkspaceContext) {
    this.#ctx = ctx;
  }

  validate(source: string, file?: string): ContractParseResult {
    return parseContract(source, { ...(file !== undefined ? { file } : {}), catalog: this.#ctx.catalog });
  }

  list(): readonly ContractSummary[] {
    return listContracts(this.#ctx.db);
  }

  versions(name: string): readonly ContractVersion[] {
    return listVersions(this.#ctx.db, name);
  }

  get(name: string, version?: number): ContractVersion | undefined {
    return version === undefined ? getActiveVersion(this.#ctx.db, name) : getVersion(this.#ctx.db, name, version);
  }

  saveDraft(source: string, parentHash: string | null): ContractVersion {
    const parsed = this.validate(source);
    if (!parsed.ok) {
      const first = parsed.diagnostics[0];
      throw new CharterError('invalid_contract', `the contract has ${parsed.diagnostics.length} error(s)${first ? `, first: ${first.message}` : ''}`, parsed.diagnostics);
    }
    const name = parsed.contract.metadata.name;
    const hash = contractHash(source);
    const head = headVersion(this.#ctx.db, name);
    if (head && head.hash === hash) return head;

    if (!head && parentHash !== null) {
      throw new CharterError('conflict', `contract ${name} does not exist yet, so the edit cannot start from version ${parentHash.slice(0, 12)}`);
    }
    if (head && parentHash === null) {
      throw new CharterError('conflict', `a contract named ${name} already exists (version ${head.version}); open it to edit, or choose another name`);
    }
    // Every save starts from the head: after saving a draft, the editor's base is that draft.
    if (head && head.hash !== parentHash) {
      throw new CharterError(
        'conflict',
        `contract ${name} changed since this edit began: version ${head.version} (${head.hash.slice(0, 12)}) is now the latest; reload it and apply your changes there`,
      );
    }

    const saved = this.#ctx.transact(() => {
      upsertContract(this.#ctx.db, name, parsed.contract.metadata.description ?? '');
      const version =
        head?.status === 'draft'
          ? updateDraft(this.#ctx.db, name, head.version, source, hash)
          : insertVersion(this.#ctx.db, { contract: name, source, hash, parentHash: head?.hash ?? null });
      this.#ctx.audit.append({
        type: 'contract.draft_saved',
        payload: { contract: name, version: version.version, hash, parentHash: version.parentHash, actor: this.#ctx.actor },
      });
      return version;
    });
    return saved;
  }

  publish(name: string, version: number): ContractVersion {
    const current = this.#require(name, version);
    if (current.status !== 'draft') throw new CharterError('conflict', `version ${version} of ${name} is already ${current.status}`);
    return this.#transition('contract.published', () => setStatus(this.#ctx.db, name, version, 'published'), { contract: name, version, hash: current.hash });
  }

  activate(name: string, version: number): ContractVersion {
    const target = this.#require(name, version);
    if (target.status === 'draft') throw new CharterError('conflict', `version ${version} of ${name} is a draft; publish it before activating it`);
    if (target.status === 'active') return target;
    return this.#switchActive('contract.activated', target);
  }

  rollback(name: string, toVersion: number): ContractVersion {
    const target = this.#require(name, toVersion);
    const active = getActiveVersion(this.#ctx.db, name);
    if (target.status === 'draft') throw new CharterError('conflict', `version ${toVersion} of ${name} is a draft and was never active`);
    if (active && toVersion >= active.version) {
      throw new CharterError('invalid_argument', `rollback goes to an earlier version; ${name} is active at version ${active.version}`);
    }
    return this.#switchActive('contract.rolled_back', target);
  }

  #switchActive(type: 'contract.activated' | 'contract.rolled_back', target: ContractVersion): ContractVersion {
    const previous = getActiveVersion(this.#ctx.db, target.contract);
    return this.#transition(
      type,
      () => {
        if (previous) setStatus(this.#ctx.db, target.contract, previous.version, 'superseded');
        return setStatus(this.#ctx.db, target.contract, target.version, 'active');
      },
      { contract: target.contract, version: target.version, hash: target.hash, previousVersion: previous?.version ?? null },
    );
  }

  #transition(
    type: 'contract.published' | 'contract.activated' | 'contract.rolled_back',
    apply: () => ContractVersion,
    payload: Record<string, unknown>,
  ): ContractVersion {
    const result = this.#ctx.transact(() => {
      const version = apply();
      this.#ctx.audit.append({ type, payload: { ...payload, actor: this.#ctx.actor } });
      return version;
    });
    this.#ctx.changed();
    return result;
  }

  #require(name: string, version: number): ContractVersion {
    const found = getVersion(this.#ctx.db, name, version);
    if (!found) throw new CharterError('not_found', `contract ${name} has no version ${version}`);
    return found;
  }
}
