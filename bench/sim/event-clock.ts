import type { Clock } from '../../src/platform/clock.ts'

interface Timer {
  at: number
  seq: number
  fn: (() => void) | null
}

// A Clock for the analytic replay: a binary heap of timers, fired in (time, insertion) order without any await.
// The full simulator uses ManualClock; this one lets the hindsight sweep replay hundreds of configurations quickly.
export class EventClock implements Clock {
  private time: number
  private seq = 0
  private readonly heap: Timer[] = []

  constructor(start = 0) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const t: Timer = { at: this.time + Math.max(0, ms), seq: ++this.seq, fn }
    this.push(t)
    return t
  }

  // The handle is the timer itself: clearing it leaves a dead entry the heap skips.
  clearTimeout(handle: unknown): void {
    if (handle !== null && typeof handle === 'object') (handle as Timer).fn = null
  }

  // Fires every timer in order until none is left (or the next is after `until`).
  run(until = Infinity): void {
    for (;;) {
      const t = this.heap[0]
      if (!t || t.at > until) break
      this.pop()
      const fn = t.fn
      if (fn === null) continue
      t.fn = null
      this.time = Math.max(this.time, t.at)
      fn()
    }
  }

  private push(t: Timer): void {
    const h = this.heap
    h.push(t)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(h[i], h[p])) break
      ;[h[i], h[p]] = [h[p], h[i]]
      i = p
    }
  }

  private pop(): void {
    const h = this.heap
    const last = h.pop()!
    if (h.length === 0) return
    h[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < h.length && before(h[l], h[m])) m = l
      if (r < h.length && before(h[r], h[m])) m = r
      if (m === i) break
      ;[h[i], h[m]] = [h[m], h[i]]
      i = m
    }
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}
