/** A typed fan-out for CharterApi events; each transport subscribes and forwards. */
import type { EventName, EventPayloads } from '../../shared/api.ts';

type AnyListener = (payload: never) => void;

export class EventHub {
  readonly #listeners = new Map<EventName, Set<AnyListener>>();

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as AnyListener);
    return () => {
      set.delete(listener as AnyListener);
    };
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        (listener as (p: EventPayloads[E]) => void)(payload);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }
}
