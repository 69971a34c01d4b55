import type { Clock } from '../platform/clock.ts'

// Images asked for over a sliding window: how busy this studio has been lately, for the router's
// "would a pod stay busy?" question. One busy hour should not look like a busy day, nor a lull like a quiet one.
// Twelve hours: at 500 comics a day a two-hour window sees some 40 comics, and its ±15 % noise alone swung the
// fleet between three and five pods; six hours still dropped to three pods for half a day on one simulated day in
// five. Bursts are serverless' job, the fleet follows the day. A studio reopened remembers what its library was
// asked for in the window (remember); a library newer than the window is measured over its own life.
export class DemandMeter {
  private readonly clock: Clock
  private readonly windowMs: number
  private readonly minSpanMs: number
  private since: number
  private events: { at: number; images: number }[] = []
  private sum = 0

  // Until a window has passed since start, the rate is over the time actually watched (not as if the unwatched
  // part had been idle), but over at least `minSpanMs`, so a first comic alone does not look like a rush.
  constructor(clock: Clock, windowMs = 12 * 3_600_000, minSpanMs = 30 * 60_000) {
    this.clock = clock
    this.windowMs = windowMs
    this.minSpanMs = minSpanMs
    this.since = clock.now()
  }

  // The window's start: images asked for before it no longer count.
  windowStart(): number {
    return this.clock.now() - this.windowMs
  }

  // Images asked for before this meter started (an earlier session on the same library), one per time: a studio
  // reopened on a busy day keeps its fleet sized to that day. The time watched then counts from the earliest.
  remember(askedAt: readonly number[]): void {
    const from = this.windowStart()
    const past = askedAt.filter((at) => at >= from && at < this.since).sort((a, b) => a - b)
    if (past.length === 0) return
    // A new array, not unshift(...past): twelve hours of a busy library can be more images than a call takes arguments.
    this.events = past.map((at) => ({ at, images: 1 })).concat(this.events)
    this.sum += past.length
    this.since = past[0]
  }

  record(images: number): void {
    this.events.push({ at: this.clock.now(), images })
    this.sum += images
  }

  perHour(): number {
    const now = this.clock.now()
    while (this.events.length > 0 && this.events[0].at < now - this.windowMs) this.sum -= this.events.shift()!.images
    const span = Math.max(this.minSpanMs, Math.min(this.windowMs, now - this.since))
    return (this.sum * 3_600_000) / span
  }
}
