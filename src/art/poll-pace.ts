// When the studio next asks RunPod about a serverless job. A worker that has finished an image bills its idle
// seconds until the next image reaches it, and the studio sends that image only once it hears the last one is
// done: on a fixed beat it hears half a beat late on average, on every image (some 6 % more for a 12 s image
// heard on a 1.5 s beat). A running job's end is known closely (it started `delayTime` after it was sent, and
// takes about as long as the endpoint's last images), so the studio asks briskly from a little before it should
// end until a little after, then on the usual beat again.

export interface PollPlan {
  now: number
  // The usual beat, and the brisk one around the expected end.
  pollMs: number
  briskMs: number
  // When the running job should end; null while it waits in the queue or its pace is unknown.
  expectedEnd: number | null
  // The brisk window: from this long before the expected end to this long after it.
  earlyMs: number
  graceMs: number
}

export function nextPollMs(p: PollPlan): number {
  if (p.expectedEnd === null) return p.pollMs
  const until = p.expectedEnd - p.earlyMs - p.now
  if (until > p.pollMs) return p.pollMs
  if (until > 0) return until
  const brisk = Math.min(p.briskMs, p.pollMs)
  // One ask falls on the expected end itself: a job as long as the pace is heard at once.
  const toEnd = p.expectedEnd - p.now
  if (toEnd > 0) return Math.min(brisk, toEnd)
  return -toEnd < p.graceMs ? brisk : p.pollMs
}

// The window for a job of `runMs`: a tenth of a run early (the pace is an average), a quarter late.
export const briskWindow = (runMs: number) => ({ earlyMs: runMs / 10, graceMs: runMs / 4 })

// The poll of one job, told each answer that leaves it waiting: how long until the next ask. The job started after
// the last answer that found it queued; RunPod's `delayTime` (from submit to start) says exactly when.
export class JobPoll {
  private readonly o: { sentAt: number; runMs: number; pollMs: number; briskMs: number }
  private queuedAt: number
  private expectedEnd: number | null = null

  constructor(o: { sentAt: number; runMs: number; pollMs: number; briskMs: number }) {
    this.o = o
    this.queuedAt = o.sentAt
  }

  next(now: number, answer: { running: boolean; delayMs?: number }): number {
    if (!answer.running) this.queuedAt = now
    else this.expectedEnd ??= (answer.delayMs !== undefined ? this.o.sentAt + answer.delayMs : this.queuedAt) + this.o.runMs
    return nextPollMs({ now, pollMs: this.o.pollMs, briskMs: this.o.briskMs, expectedEnd: this.expectedEnd, ...briskWindow(this.o.runMs) })
  }
}

// An endpoint's time per image, learned from the executionTime of the jobs it finished. A moving average: one
// cold worker's slow first image moves it a quarter of the way, and a few warm ones bring it back.
export class RunPace {
  private ms: number

  constructor(initialMs: number) {
    this.ms = initialMs
  }

  get expectedMs(): number {
    return this.ms
  }

  observe(executionMs: number | undefined): void {
    if (executionMs === undefined || !(executionMs > 0)) return
    this.ms += 0.25 * (executionMs - this.ms)
  }
}
