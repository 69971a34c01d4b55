import diagnosticsChannel from 'node:diagnostics_channel'
import type { ManualClock } from '../../src/platform/clock.ts'

// Counts undici requests in flight (create → trailers or error), so the clock never jumps while real
// loopback HTTP is still on its way: a health check answers at the simulated moment it was asked.
export class HttpInFlight {
  private readonly open = new Set<object>()
  private readonly onCreate = (m: unknown) => { this.open.add((m as { request: object }).request) }
  private readonly onEnd = (m: unknown) => { this.open.delete((m as { request: object }).request) }

  constructor() {
    diagnosticsChannel.subscribe('undici:request:create', this.onCreate)
    diagnosticsChannel.subscribe('undici:request:trailers', this.onEnd)
    diagnosticsChannel.subscribe('undici:request:error', this.onEnd)
  }

  get count(): number {
    return this.open.size
  }

  dispose(): void {
    diagnosticsChannel.unsubscribe('undici:request:create', this.onCreate)
    diagnosticsChannel.unsubscribe('undici:request:trailers', this.onEnd)
    diagnosticsChannel.unsubscribe('undici:request:error', this.onEnd)
  }
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve))

// Lets every promise continuation and every loopback request finish before time moves on.
export async function settle(http: HttpInFlight): Promise<void> {
  await immediate()
  while (http.count > 0) await immediate()
  await immediate()
}

// Jumps the clock from timer to timer, settling in between, until `done()` (or throws past `limitMs`).
export async function runUntil(clock: ManualClock, http: HttpInFlight, done: () => boolean, limitMs: number): Promise<number> {
  let steps = 0
  for (;;) {
    await settle(http)
    if (done()) return steps
    const next = clock.nextAt()
    if (next === null) throw new Error('simulation stalled: work is left but nothing is scheduled')
    if (next > limitMs) throw new Error(`simulation still running at ${new Date(limitMs).toISOString()}`)
    clock.advance(Math.max(0, next - clock.now()))
    steps++
  }
}
