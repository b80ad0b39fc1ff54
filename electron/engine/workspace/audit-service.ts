/** The audit trail as users query and verify it. */
import type { AuditEvent } from '../../../shared/audit.ts';
import { countEvents, queryEvents } from '../audit/query.ts';
import { verifyChain } from '../audit/verify.ts';
import type { AuditQuery, AuditService, ChainVerification, VerifyProgress } from '../services.ts';
import type { WorkspaceContext } from './workspace-context.ts';

export class WorkspaceAuditService implements AuditService {
  readonly #ctx: WorkspaceContext;

  constructor(ctx: WorkspaceContext) {
    this.#ctx = ctx;
  }

  count(): number {
    return countEvents(this.#ctx.db);
  }

  head(): { readonly seq: number; readonly digest: string } {
    return this.#ctx.audit.head();
  }

  query(query: AuditQuery): readonly AuditEvent[] {
    return queryEvents(this.#ctx.db, query);
  }

  verify(options: { onProgress?: (p: VerifyProgress) => void; signal?: AbortSignal } = {}): Promise<ChainVerification> {
    return verifyChain(this.#ctx.db, options);
  }
}
