/** Turns a validated contract into a CompiledContract, compiling its embedded schemas once. */
import type { ActionCatalog } from '../../../shared/catalog.ts';
import { compileUserSchema, formatAjvError } from '../../../shared/contract/json-schema.ts';
import type { AgentContract } from '../../../shared/contract/types.ts';
import type { ContractRef } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import { CompiledContract } from './compiled-contract.ts';
import type { SchemaCompiler } from './compiled-contract.ts';

const compileSchema: SchemaCompiler = (schema, where) => {
  const compiled = compileUserSchema(schema);
  if (!compiled.ok) throw new CharterError('invalid_contract', `${where}: schema does not compile: ${compiled.message}`);
  const validate = compiled.validate;
  return (value) => {
    if (validate(value)) return null;
    const error = validate.errors?.[0];
    return error ? formatAjvError(error) : 'does not match its schema';
  };
};

export function compileContractSource(contract: AgentContract, ref: ContractRef, catalog: ActionCatalog): CompiledContract {
  return new CompiledContract(contract, ref, catalog, compileSchema);
}
