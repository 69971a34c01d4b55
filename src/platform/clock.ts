// Everything that waits or reads the time takes a Clock, so simulations and tests run a day in seconds.
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

// A clock that only moves when told: timers fire in time order as advance() passes them.
export class ManualClock implements Clock {
  private time: number
  private seq = 0
  private timers = new Map<number, { at: number; fn: () => void }>()

  constructor(start = 1_700_000_000_000) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }

  pending(): number {
    return this.timers.size
  }

  nextAt(): number | null {
    let best: number | null = null
    for (const t of this.timers.values()) if (best === null || t.at < best) best = t.at
    return best
  }

  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      let nextId = -1
      let next: { at: number; fn: () => void } | undefined
      for (const [id, t] of this.timers) if (t.at <= end && (!next || t.at < next.at)) { next = t; nextId = id }
      if (!next) break
      this.timers.delete(nextId)
      this.time = Math.max(this.time, next.at)
      next.fn()
    }
    this.time = end
  }
}
