import type { StudioEvent } from '../contract/index.ts'

export type EventListener = (event: StudioEvent) => void

// The one stream of events every shell subscribes to; a listener that throws never breaks the engine.
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  on(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: StudioEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A broken subscriber (a closed SSE socket, a destroyed window) must not stop generation.
      }
    }
  }
}
