/** Every `charter` command. Adding one is a module in this folder plus one line here. */
import type { Command } from '../command.ts';
import { agentsCreateCommand, agentsListCommand, agentsSetMaturityCommand, agentsShowCommand } from './agents.ts';
import { auditTailCommand } from './audit-tail.ts';
import { auditVerifyCommand } from './audit-verify.ts';
import { bundleExportCommand, bundleImportCommand, bundleInspectCommand, bundleVerifyCommand } from './bundle.ts';
import {
  contractsActivateCommand,
  contractsAddCommand,
  contractsListCommand,
  contractsPublishCommand,
  contractsRollbackCommand,
  contractsShowCommand,
  contractsVersionsCommand,
} from './contracts.ts';
import { keysCreateCommand, keysExportPublicCommand, keysListCommand, keysRotateCommand, keysTrustCommand, keysUntrustCommand } from './keys.ts';
import { settingsDefaultAgentCommand, settingsDefaultContractCommand, settingsFlagCommand } from './settings.ts';
import { simulateCommand } from './simulate.ts';
import { testCommand } from './test.ts';
import { validateCommand } from './validate.ts';
import { webCommand } from './web.ts';

export const commands: readonly Command[] = [
  validateCommand,
  testCommand,
  simulateCommand,
  auditVerifyCommand,
  auditTailCommand,
  agentsListCommand,
  agentsCreateCommand,
  agentsSetMaturityCommand,
  agentsShowCommand,
  contractsListCommand,
  contractsAddCommand,
  contractsPublishCommand,
  contractsActivateCommand,
  contractsRollbackCommand,
  contractsVersionsCommand,
  contractsShowCommand,
  settingsDefaultAgentCommand,
  settingsDefaultContractCommand,
  settingsFlagCommand,
  keysListCommand, keysCreateCommand, keysRotateCommand, keysExportPublicCommand, keysTrustCommand, keysUntrustCommand,
  bundleExportCommand, bundleVerifyCommand, bundleInspectCommand, bundleImportCommand,
  webCommand,
];
