import { KitsumyError } from '../contract/errors.ts'
import type { Clock } from '../platform/clock.ts'

// Serverless bills each worker it starts an idle tail (5 s by default) once the worker runs out of jobs. Five
// images sent at once start five workers and bill five tails; the same five sent one after another to one warm
// worker bill one. So images bound for serverless wait here, soonest due first, and go to the endpoint only as
// fast as their deadlines need: one worker draws whenever images wait, a worker that finishes an image takes the
// next one waiting, and another worker is started only once those drawing could not finish every waiting image
// in time. An image due at once (a comic's first panel) goes at once.

export interface LineTiming {
  // A new worker's start, at its slowest (FACTS: up to ~45 s cold).
  coldStartSeconds: number
  secondsPerImage: number
}

export interface LineOptions extends LineTiming {
  // Images at the endpoint at once, at most (`hosted.imagesInFlight`): more would only queue there, first come first
  // served, where here the soonest due goes first.
  workers: number
}

// Images whose run time the line remembers: the endpoint's pace, as it is now.
const PACE_MEMORY = 20

const MS = 1000

// Workers needed so that every waiting image (due times in ms, soonest first) is done in time, each worker
// started fresh: the k-th image is done after a cold start and ⌈k / workers⌉ images. Infinity when one cannot be.
export function workersNeeded(dues: readonly number[], now: number, t: LineTiming): number {
  let needed = dues.length > 0 ? 1 : 0
  dues.forEach((due, i) => {
    const rounds = Math.floor((due - now - t.coldStartSeconds * MS) / (t.secondsPerImage * MS))
    needed = Math.max(needed, rounds <= 0 ? Infinity : Math.ceil((i + 1) / rounds))
  })
  return needed
}

// When `drawing` workers stop being enough for the waiting images, if nothing else changes before then.
export function enoughUntil(dues: readonly number[], drawing: number, t: LineTiming): number {
  let until = Infinity
  dues.forEach((due, i) => {
    until = Math.min(until, due - t.coldStartSeconds * MS - Math.ceil((i + 1) / Math.max(1, drawing)) * t.secondsPerImage * MS)
  })
  return until
}

interface Waiting {
  due: number
  admit: () => void
}

export class ServerlessLine {
  private readonly clock: Clock
  private readonly timing: LineOptions
  private readonly line: Waiting[] = []
  private drawing = 0
  private timer: unknown = null
  private readonly ran: number[] = []

  constructor(clock: Clock, timing: LineOptions) {
    this.clock = clock
    this.timing = timing
  }

  // An image took this long on a worker. The line paces by the slowest of the last few and the estimate, so an
  // endpoint slower than expected (a bigger model, a slower GPU) gets more workers after its first images, not
  // late comics; a faster one is not trusted below the estimate.
  observe(ranSeconds: number): void {
    if (!(ranSeconds > 0)) return
    this.ran.push(ranSeconds)
    if (this.ran.length > PACE_MEMORY) this.ran.shift()
  }

  private pace(): LineTiming {
    return { ...this.timing, secondsPerImage: Math.max(this.timing.secondsPerImage, ...this.ran) }
  }

  // Images waiting for the endpoint.
  get waiting(): number {
    return this.line.length
  }

  // Resolves once the image may go to the endpoint, with the call that says it is done there (drawn, failed or
  // cancelled). `onWaiting` is called if it has to wait first.
  async enter(due: number, signal: AbortSignal, onWaiting?: () => void): Promise<() => void> {
    if (signal.aborted) throw new KitsumyError('cancelled', 'cancelled')
    await new Promise<void>((resolve, reject) => {
      let admitted = false
      const me: Waiting = {
        due,
        admit: () => {
          admitted = true
          signal.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      const onAbort = () => {
        this.line.splice(this.line.indexOf(me), 1)
        this.pump()
        reject(new KitsumyError('cancelled', 'cancelled'))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      const at = this.line.findIndex((w) => w.due > due)
      this.line.splice(at < 0 ? this.line.length : at, 0, me)
      this.pump()
      if (!admitted) onWaiting?.()
    })
    let done = false
    return () => {
      if (done) return
      done = true
      // The worker just freed is warm and its idle tail is billed anyway: the next image waiting goes to it now.
      const next = this.line.shift()
      if (next) next.admit()
      else this.drawing--
      this.pump()
    }
  }

  private pump(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
    const now = this.clock.now()
    const pace = this.pace()
    while (this.line.length > 0 && this.drawing < Math.min(this.timing.workers, workersNeeded(this.line.map((w) => w.due), now, pace))) {
      this.drawing++
      this.line.shift()!.admit()
    }
    if (this.line.length === 0 || this.drawing >= this.timing.workers) return
    const at = enoughUntil(this.line.map((w) => w.due), this.drawing, pace)
    this.timer = this.clock.setTimeout(() => {
      this.timer = null
      this.pump()
    }, Math.max(0, at - now) + 1)
  }
}
