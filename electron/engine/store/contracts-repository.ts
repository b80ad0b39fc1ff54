/**
 * Contracts and their versions. A version starts as a draft (editable), then is published,
 * made active (at most one per contract) and later superseded. Once out of draft its source and
 * hash never change — enforced here, and by triggers in the schema as a second line.
 *
 * Status transitions beyond "never back to draft" are the governance service's to choose
 * (activate = supersede the active one, then activate; rollback = re-activate a superseded one).
 */
import type { Selectable } from 'kysely';
import { contractHash } from '../../../shared/contract/hash.ts';
import type { ContractVersion, ContractVersionStatus } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { ContractSummary } from '../services.ts';
import type { WorkspaceDb } from './database.ts';
import type { ContractVersionsTable } from './schema.ts';
import type { ConstraintMessage } from './store-errors.ts';
import { notFound, withConstraints } from './store-errors.ts';
import { all, defineQuery, first, run } from './sync.ts';
import { isoNow } from './timestamps.ts';

export const CONTRACT_VERSION_STATUSES: readonly ContractVersionStatus[] = ['draft', 'published', 'active', 'superseded'];

export interface NewContractVersion {
  readonly contract: string;
  /** Defaults to one past the contract's head version. */
  readonly version?: number;
  /** Defaults to `draft`. */
  readonly status?: ContractVersionStatus;
  readonly source: string;
  /** SHA-256 (hex) of `source`; computed when not given. */
  readonly hash?: string;
  readonly parentHash?: string | null;
  readonly createdAt?: string;
  /** Defaults to `createdAt` for a version inserted already out of draft. */
  readonly publishedAt?: string | null;
}

/** SHA-256 (hex) of a contract's YAML source, as stored in `hash`. */
export const contractSourceHash: (source: string) => string = contractHash;

function toVersion(row: Selectable<ContractVersionsTable>): ContractVersion {
  return {
    contract: row.contract,
    version: row.version,
    status: row.status as ContractVersionStatus,
    hash: row.hash,
    parentHash: row.parent_hash,
    source: row.source,
    createdAt: row.created_at,
    publishedAt: row.published_at,
  };
}

function label(name: string, version: number): string {
  return `version ${version} of contract "${name}"`;
}

const versionByNumber = defineQuery((db, args: { name: string; version: number }) =>
  db.selectFrom('contract_versions').selectAll().where('contract', '=', args.name).where('version', '=', args.version));

const activeVersion = defineQuery((db, args: { name: string }) =>
  db.selectFrom('contract_versions').selectAll().where('contract', '=', args.name).where('status', '=', 'active'));

const newestVersion = defineQuery((db, args: { name: string }) =>
  db.selectFrom('contract_versions').selectAll().where('contract', '=', args.name).orderBy('version', 'desc').limit(1));

/** Creates the contract if it is new; updates its description when one is given. */
export function upsertContract(db: WorkspaceDb, name: string, description?: string): void {
  if (name.trim() === '') throw new CharterError('invalid_argument', 'a contract needs a name');
  const insert = db.kysely.insertInto('contracts').values({ name, description: description ?? '', created_at: isoNow() });
  run(db.sqlite, description === undefined
    ? insert.onConflict((oc) => oc.column('name').doNothing())
    : insert.onConflict((oc) => oc.column('name').doUpdateSet({ description })));
}

export function listContracts(db: WorkspaceDb): readonly ContractSummary[] {
  const rows = all(db.sqlite, db.kysely
    .selectFrom('contracts as c')
    .select((eb) => [
      'c.name',
      'c.description',
      eb.selectFrom('contract_versions as v').select('v.version')
        .whereRef('v.contract', '=', 'c.name').where('v.status', '=', 'active').as('active_version'),
      eb.fn.coalesce(
        eb.selectFrom('contract_versions as v').select((v) => v.fn.max('v.version').as('m')).whereRef('v.contract', '=', 'c.name'),
        eb.lit(0),
      ).as('latest_version'),
      eb.exists(eb.selectFrom('contract_versions as v').select('v.version')
        .whereRef('v.contract', '=', 'c.name').where('v.status', '=', 'draft')).as('has_draft'),
    ])
    .orderBy('c.name'));
  return rows.map((row) => ({
    name: row.name,
    description: row.description,
    activeVersion: row.active_version ?? null,
    latestVersion: Number(row.latest_version),
    hasDraft: Boolean(row.has_draft),
  }));
}

export function getVersion(db: WorkspaceDb, name: string, version: number): ContractVersion | undefined {
  const row = versionByNumber.first(db.sqlite, { name, version });
  return row ? toVersion(row) : undefined;
}

export function getActiveVersion(db: WorkspaceDb, name: string): ContractVersion | undefined {
  const row = activeVersion.first(db.sqlite, { name });
  return row ? toVersion(row) : undefined;
}

/** Every version of the contract, oldest first. */
export function listVersions(db: WorkspaceDb, name: string): readonly ContractVersion[] {
  return all(db.sqlite, db.kysely.selectFrom('contract_versions').selectAll().where('contract', '=', name).orderBy('version'))
    .map(toVersion);
}

/** The contract's newest version, whatever its status; undefined for a contract with none. */
export function headVersion(db: WorkspaceDb, name: string): ContractVersion | undefined {
  const row = newestVersion.first(db.sqlite, { name });
  return row ? toVersion(row) : undefined;
}

function activeConflict(db: WorkspaceDb, name: string): ConstraintMessage {
  const active = getActiveVersion(db, name);
  return ['conflict', `contract "${name}" already has an active version${active ? ` (${active.version})` : ''}; supersede it first`];
}

export function insertVersion(db: WorkspaceDb, input: NewContractVersion): ContractVersion {
  const status = input.status ?? 'draft';
  if (!CONTRACT_VERSION_STATUSES.includes(status)) {
    throw new CharterError('invalid_argument', `contract version status "${String(status)}" does not exist`);
  }
  const version = input.version ?? (headVersion(db, input.contract)?.version ?? 0) + 1;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new CharterError('invalid_argument', `contract versions are numbered from 1, got ${version}`);
  }
  const createdAt = input.createdAt ?? isoNow();
  const row: Selectable<ContractVersionsTable> = {
    contract: input.contract,
    version,
    status,
    hash: input.hash ?? contractSourceHash(input.source),
    parent_hash: input.parentHash ?? null,
    source: input.source,
    approvals_required: 0,
    created_at: createdAt,
    published_at: input.publishedAt !== undefined ? input.publishedAt : status === 'draft' ? null : createdAt,
  };
  const { approvals_required: _defaulted, ...values } = row;
  withConstraints(() => run(db.sqlite, db.kysely.insertInto('contract_versions').values(values)), {
    PRIMARYKEY: ['conflict', `${label(input.contract, version)} already exists`],
    FOREIGNKEY: ['not_found', `contract "${input.contract}" does not exist; create it before adding versions`],
    UNIQUE: () => activeConflict(db, input.contract),
  });
  return toVersion(row);
}

/** Replaces a draft's source (and hash). Anything out of draft is immutable: refused as a conflict. */
export function updateDraft(db: WorkspaceDb, name: string, version: number, source: string, hash?: string): ContractVersion {
  const current = getVersion(db, name, version);
  if (!current) throw notFound(label(name, version));
  if (current.status !== 'draft') {
    throw new CharterError('conflict', `${label(name, version)} is ${current.status} and can no longer change; save a new draft instead`);
  }
  const newHash = hash ?? contractSourceHash(source);
  run(db.sqlite, db.kysely.updateTable('contract_versions').set({ source, hash: newHash })
    .where('contract', '=', name).where('version', '=', version).where('status', '=', 'draft'));
  return { ...current, source, hash: newHash };
}

/** Discards a draft. Versions out of draft are kept forever. */
export function deleteDraft(db: WorkspaceDb, name: string, version: number): void {
  const current = getVersion(db, name, version);
  if (!current) throw notFound(label(name, version));
  if (current.status !== 'draft') {
    throw new CharterError('conflict', `${label(name, version)} is ${current.status}; only drafts can be discarded`);
  }
  run(db.sqlite, db.kysely.deleteFrom('contract_versions').where('contract', '=', name).where('version', '=', version));
}

/**
 * Moves a version to `status`. A version never returns to draft, and a contract has at most one
 * active version: activating a second one is refused until the first is superseded.
 * `published_at` is set the first time a version leaves draft.
 */
export function setStatus(db: WorkspaceDb, name: string, version: number, status: ContractVersionStatus): ContractVersion {
  if (!CONTRACT_VERSION_STATUSES.includes(status)) {
    throw new CharterError('invalid_argument', `contract version status "${String(status)}" does not exist`);
  }
  const current = getVersion(db, name, version);
  if (!current) throw notFound(label(name, version));
  if (current.status === status) return current;
  if (status === 'draft') {
    throw new CharterError('conflict', `${label(name, version)} is ${current.status} and cannot become a draft again`);
  }
  const publishedAt = current.publishedAt ?? isoNow();
  withConstraints(() => run(db.sqlite, db.kysely.updateTable('contract_versions')
    .set({ status, published_at: publishedAt })
    .where('contract', '=', name).where('version', '=', version)), {
    UNIQUE: () => activeConflict(db, name),
  });
  return { ...current, status, publishedAt };
}

/** The version whose content hash is `hash`, if the contract has one. */
export function findVersionByHash(db: WorkspaceDb, name: string, hash: string): ContractVersion | undefined {
  const row = first(db.sqlite, db.kysely.selectFrom('contract_versions').selectAll()
    .where('contract', '=', name).where('hash', '=', hash).orderBy('version', 'desc').limit(1));
  return row ? toVersion(row) : undefined;
}
