export interface GroupLimit {
  concurrency?: number
  // Starts per second; starts are spaced evenly (1000 / ratePerSec ms apart) rather than bursting.
  ratePerSec?: number
}

// Per-engine admission for one worker: how many run at once, how fast they start, and how long an
// engine that answered "429, retry after N s" is left alone. Pure bookkeeping over the given times.
export class GroupLimiter {
  private readonly limits: Readonly<Record<string, GroupLimit>>
  private readonly active = new Map<string, number>()
  private readonly nextStart = new Map<string, number>()
  private readonly heldUntil = new Map<string, number>()

  constructor(limits: Readonly<Record<string, GroupLimit>>) {
    this.limits = limits
  }

  blocked(now: number): string[] {
    const out: string[] = []
    for (const group of new Set([...Object.keys(this.limits), ...this.heldUntil.keys()])) {
      if (this.isBlocked(group, now)) out.push(group)
    }
    return out
  }

  started(group: string | null, now: number): void {
    if (group === null) return
    this.active.set(group, (this.active.get(group) ?? 0) + 1)
    const rate = this.limits[group]?.ratePerSec
    if (rate !== undefined && rate > 0) this.nextStart.set(group, now + 1000 / rate)
  }

  finished(group: string | null): void {
    if (group === null) return
    this.active.set(group, Math.max(0, (this.active.get(group) ?? 0) - 1))
  }

  hold(group: string | null, until: number): void {
    if (group === null) return
    this.heldUntil.set(group, Math.max(until, this.heldUntil.get(group) ?? 0))
  }

  // The earliest future moment a time-based block lifts; concurrency blocks lift when a job ends.
  nextUnblockAt(now: number): number | null {
    let best: number | null = null
    for (const at of [...this.nextStart.values(), ...this.heldUntil.values()]) {
      if (at > now && (best === null || at < best)) best = at
    }
    return best
  }

  private isBlocked(group: string, now: number): boolean {
    const limit = this.limits[group]
    if ((this.heldUntil.get(group) ?? 0) > now) return true
    if (limit?.concurrency !== undefined && (this.active.get(group) ?? 0) >= limit.concurrency) return true
    return (this.nextStart.get(group) ?? 0) > now
  }
}
