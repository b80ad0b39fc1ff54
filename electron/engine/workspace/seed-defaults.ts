/**
 * A new workspace starts governed: the default "Chat Assistant" contract from
 * policies/default/chat-assistant.yaml is saved, published and activated (all audited).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SYSTEM_DEFAULT_CONTRACT } from '../governance/resolve-context.ts';
import { resourcePath } from '../resource-root.ts';
import type { ContractService } from '../services.ts';

export const DEFAULT_CONTRACT_PATH = resourcePath('policies', 'default', 'chat-assistant.yaml');

export function seedDefaultContract(contracts: ContractService): void {
  if (contracts.versions(SYSTEM_DEFAULT_CONTRACT).length > 0) return;
  if (!existsSync(DEFAULT_CONTRACT_PATH)) return;
  const draft = contracts.saveDraft(readFileSync(DEFAULT_CONTRACT_PATH, 'utf8'), null);
  contracts.publish(draft.contract, draft.version);
  contracts.activate(draft.contract, draft.version);
}
