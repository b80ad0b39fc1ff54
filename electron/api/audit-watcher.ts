/**
 * Notices new audit events, whoever appended them (this process, the CLI, a test), and emits
 * `audit.appended` with the newest rows. Polls the head: one indexed max(seq) per tick.
 */
import type { EngineHandle } from './engine.ts';
import type { EventHub } from './event-hub.ts';
import { auditPage, headSeq } from './audit-queries.ts';

/** At most this many rows ride along with one event; the timeline fetches the rest itself. */
const MAX_ROWS = 50;

export class AuditWatcher {
  #last: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly engine: EngineHandle,
    private readonly events: EventHub,
  ) {
    this.#last = headSeq(engine.db.sqlite, engine.db.kysely);
  }

  poll(): void {
    const head = headSeq(this.engine.db.sqlite, this.engine.db.kysely);
    if (head <= this.#last) return;
    const rows = auditPage(this.engine.db.sqlite, this.engine.db.kysely, { afterSeq: Math.max(this.#last, head - MAX_ROWS), order: 'desc', limit: MAX_ROWS });
    this.#last = head;
    this.events.emit('audit.appended', { headSeq: head, rows });
  }

  start(intervalMs = 1000): void {
    this.#timer ??= setInterval(() => {
      try {
        this.poll();
      } catch {
        // The workspace may be closing; the next tick tries again.
      }
    }, intervalMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
