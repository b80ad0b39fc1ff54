/**
 * Compiled active contract versions, by name. Each published version is compiled once; the
 * registry forgets everything when any contract changes.
 */
import type { ActionCatalog } from '../../../shared/catalog.ts';
import { parseContract } from '../../../shared/contract/parse.ts';
import { CharterError } from '../../../shared/errors.ts';
import { compileContractSource } from '../governance/compile-source.ts';
import type { CompiledContract } from '../governance/compiled-contract.ts';
import { getActiveVersion } from '../store/contracts-repository.ts';
import type { WorkspaceDb } from '../store/database.ts';

export class ContractRegistry {
  readonly #db: WorkspaceDb;
  readonly #catalog: ActionCatalog;
  readonly #compiled = new Map<string, CompiledContract | null>();

  constructor(db: WorkspaceDb, catalog: ActionCatalog) {
    this.#db = db;
    this.#catalog = catalog;
  }

  /** The active version of `name`, compiled; undefined when the contract has no active version. */
  active(name: string): CompiledContract | undefined {
    let compiled = this.#compiled.get(name);
    if (compiled === undefined) {
      compiled = this.#compile(name);
      this.#compiled.set(name, compiled);
    }
    return compiled ?? undefined;
  }

  forget(): void {
    this.#compiled.clear();
  }

  #compile(name: string): CompiledContract | null {
    const version = getActiveVersion(this.#db, name);
    if (!version) return null;
    const parsed = parseContract(version.source, { file: `${name}@${version.version}`, catalog: this.#catalog });
    if (!parsed.ok) {
      throw new CharterError('invalid_contract', `stored contract ${name}@${version.version} no longer validates`, parsed.diagnostics);
    }
    return compileContractSource(parsed.contract, { name, version: version.version, hash: version.hash }, this.#catalog);
  }
}
