import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/platform/clock.ts'
import { Dispatcher } from '../../src/cloud/dispatcher.ts'
import type { DispatchResult } from '../../src/cloud/dispatcher.ts'
import { dueSeconds } from '../../src/cloud/router.ts'
import { enoughUntil, ServerlessLine, workersNeeded } from '../../src/cloud/serverless-line.ts'
import { FALLBACK_PRICES } from '../../src/cloud/prices.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'
import { RunpodServerlessClient, ServerlessEngine } from '../../src/art/runpod-serverless.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { drive, EventLog, imageRequest, settle, testWorkflow } from './helpers.ts'

const TIMING = { coldStartSeconds: 45, secondsPerImage: 12 }
const LINE = { ...TIMING, workers: 5 }
const S = 1000

describe('serverless line: how many workers the deadlines need', () => {
  it('one worker while it can finish every waiting image in time, more as the soonest due come closer', () => {
    // 279 s due, 45 s to start, 12 s an image: one worker finishes 19 in time, the 20th needs a second.
    expect(workersNeeded([], 0, TIMING)).toBe(0)
    expect(workersNeeded(Array(19).fill(279 * S), 0, TIMING)).toBe(1)
    expect(workersNeeded(Array(20).fill(279 * S), 0, TIMING)).toBe(2)
    expect(workersNeeded(Array(39).fill(279 * S), 0, TIMING)).toBe(3)
    // Ten seconds later the same 19 have 18 rounds left.
    expect(workersNeeded(Array(19).fill(279 * S), 10 * S, TIMING)).toBe(2)
    // Soonest first: two images due in 60 s need a worker each, whatever waits behind them.
    expect(workersNeeded([60 * S, 60 * S, 1_000 * S], 0, TIMING)).toBe(2)
    // One that cannot be done in time any more goes at once, with everything ahead of it.
    expect(workersNeeded([50 * S], 0, TIMING)).toBe(Infinity)
  })

  it('says when the workers drawing stop being enough', () => {
    // 19 due at 279 s on one worker: enough until 279 − 45 − 19 × 12 = 6 s.
    expect(enoughUntil(Array(19).fill(279 * S), 1, TIMING)).toBe(6 * S)
    expect(workersNeeded(Array(19).fill(279 * S), 6 * S, TIMING)).toBe(1)
    expect(workersNeeded(Array(19).fill(279 * S), 6 * S + 1, TIMING)).toBe(2)
    expect(enoughUntil(Array(19).fill(279 * S), 2, TIMING)).toBe(279 * S - 45 * S - 10 * 12 * S)
  })

  it('due times: a first panel at once, the rest by the urgent deadline with 7 % to spare, urgent or not', () => {
    expect(dueSeconds({ firstOfComic: true, late: false })).toBe(0)
    expect(dueSeconds({ firstOfComic: false, late: false })).toBeCloseTo(279)
    // A comic let run late, once it leaves the pods' line: by the relaxed limit.
    expect(dueSeconds({ firstOfComic: false, late: true })).toBeCloseTo(1_674)
  })
})

describe('serverless line: pacing images onto workers', () => {
  it('holds images a worker can still reach, hands the next to the worker that frees, and starts another when due', async () => {
    const clock = new ManualClock()
    const line = new ServerlessLine(clock, LINE)
    const signal = new AbortController().signal
    const t0 = clock.now()
    const admitted: number[] = []
    let waited = 0
    const entries = Array.from({ length: 19 }, (_, i) => line.enter(t0 + 279 * S, signal, () => waited++).then((done) => {
      admitted.push(i)
      return done
    }))
    await settle(clock)
    expect(admitted).toEqual([0])
    expect(line.waiting).toBe(18)
    expect(waited).toBe(18)

    // The first worker's image is drawn: the next waiting goes to the same, warm worker.
    const first = await entries[0]
    clock.advance(5 * S)
    first()
    first()
    await settle(clock)
    expect(admitted).toEqual([0, 1])

    // One worker finishes the 17 still waiting, counted from a cold start, until 279 − 45 − 17 × 12 = 30 s; then a
    // second starts.
    clock.advance(25 * S)
    await settle(clock)
    expect(admitted).toEqual([0, 1])
    clock.advance(1)
    await settle(clock)
    expect(admitted).toEqual([0, 1, 2])
    expect(line.waiting).toBe(16)

    // A first panel is due at once and goes ahead of the line.
    const firstPanel = line.enter(clock.now(), signal)
    await settle(clock)
    await firstPanel
    expect(line.waiting).toBe(16)
  })

  it('learns the endpoint\'s pace: images slower than the estimate start more workers, faster ones are not trusted', async () => {
    const clock = new ManualClock()
    const line = new ServerlessLine(clock, LINE)
    const due = clock.now() + 279 * S
    const signal = new AbortController().signal
    const first = await line.enter(due, signal)
    const waiting = Array.from({ length: 18 }, () => line.enter(due, signal))
    await settle(clock)
    // An image took 6 s; the next goes to the worker that drew it. At the estimated 12 s, one worker is enough for
    // the 17 left until 279 − 45 − 17 × 12 = 30 s (at 6 s it would be until 132 s).
    line.observe(6)
    first()
    await settle(clock)
    expect(line.waiting).toBe(17)
    clock.advance(30 * S + 1)
    await settle(clock)
    expect(line.waiting).toBe(16)
    // Then one takes 20 s. With 21 waiting, two workers at 12 s an image would do (17 rounds each in the 204 s
    // left after a cold start); at 20 s (10 rounds) they need three.
    line.observe(20)
    for (let i = 0; i < 5; i++) void line.enter(due, signal)
    await settle(clock)
    expect(line.waiting).toBe(20)
    await Promise.all(waiting.slice(0, 3))
  })

  it('never sends more than the endpoint\'s workers at once: past them the soonest due goes first, a first panel ahead of the rest', async () => {
    const clock = new ManualClock()
    const line = new ServerlessLine(clock, { ...TIMING, workers: 2 })
    const signal = new AbortController().signal
    const now = clock.now()
    // Three images that can no longer be done in time: only two go.
    const late = [line.enter(now, signal), line.enter(now, signal)]
    const third = line.enter(now + 100 * S, signal)
    await settle(clock)
    expect(line.waiting).toBe(1)
    // A comic's first panel, due at once, comes after them and goes ahead of the third.
    let firstPanelIn = false
    const firstPanel = line.enter(now, signal).then((done) => {
      firstPanelIn = true
      return done
    })
    await settle(clock)
    expect(line.waiting).toBe(2)
    ;(await late[0])()
    await settle(clock)
    expect(firstPanelIn).toBe(true)
    expect(line.waiting).toBe(1)
    ;(await firstPanel)()
    await third
    expect(line.waiting).toBe(0)
  })

  it('an image cancelled while it waits leaves the line and frees no worker that is not its own', async () => {
    const clock = new ManualClock()
    const line = new ServerlessLine(clock, LINE)
    const due = clock.now() + 279 * S
    const drawing = await line.enter(due, new AbortController().signal)
    const cancel = new AbortController()
    const waiting = line.enter(due, cancel.signal)
    const behind = line.enter(due, new AbortController().signal)
    await settle(clock)
    expect(line.waiting).toBe(2)
    cancel.abort()
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' })
    expect(line.waiting).toBe(1)
    drawing()
    await behind
    expect(line.waiting).toBe(0)
    await expect(line.enter(0, cancel.signal)).rejects.toMatchObject({ code: 'cancelled' })
  })
})

describe('serverless line: through the dispatcher to the RunPod serverless API', () => {
  let close: (() => Promise<void>) | null = null
  afterEach(async () => {
    await close?.()
    close = null
  })

  async function comicOnServerless(paceServerless: boolean, jobMs = 20_000) {
    const clock = new ManualClock()
    const serverless = await new FakeRunpodServerless({ clock, log: new GenerationLog(), apiKey: 'rpa_KEY_0123456789abcdef', jobMs, workers: 5 }).start()
    const settings = parseCloudSettings({
      urls: { runpodServerless: serverless.baseUrl },
      serverless: { endpointId: 'ep-comfy' },
      poll: { jobSeconds: 1 },
      estimates: { serverlessSecondsPerImage: 20, serverlessColdStartSeconds: 45 },
    })
    const engine = new ServerlessEngine({
      client: new RunpodServerlessClient({ baseUrl: serverless.baseUrl, endpointId: 'ep-comfy', apiKey: 'rpa_KEY_0123456789abcdef', clock, requestTimeoutMs: 2_000 }),
      workflowFor: testWorkflow, clock, pricePerSecond: () => FALLBACK_PRICES.serverlessPerSecond,
      pollMs: 1_000, maxWaitMs: 600_000, stuckQueueMs: 120_000, executionTimeoutMs: 600_000, downloadTimeoutMs: 2_000,
    })
    const events = new EventLog()
    const dispatcher = new Dispatcher({ settings, engines: { serverless: engine }, pods: null, workflowFor: testWorkflow, prices: () => FALLBACK_PRICES, emit: events.emit, clock, paceServerless })
    close = async () => {
      dispatcher.close()
      await serverless.close()
    }
    // An urgent comic of 12 panels, all asked for at once, as the queue hands them over.
    const asked = clock.now()
    const results: DispatchResult[] = await drive(clock, Promise.all(Array.from({ length: 12 }, (_, i) =>
      dispatcher.generate(imageRequest(100 + i), { signal: new AbortController().signal, comicId: 'c1', urgent: true, remaining: 12 - i, firstOfComic: i === 0, askedAt: asked }))))
    const jobs = [...serverless.jobs.values()]
    // Jobs at the endpoint at once (submitted and not yet finished), at most.
    const atOnce = Math.max(...jobs.map((j) => jobs.filter((k) => k.submittedAt <= j.submittedAt && (k.end ?? Infinity) > j.submittedAt).length))
    return { results, atOnce, finished: Math.max(...jobs.map((j) => j.end ?? Infinity)) - asked }
  }

  it('sends an urgent comic to the endpoint only as fast as its deadline needs, and it is still done in time', async () => {
    const paced = await comicOnServerless(true)
    expect(paced.results.every((r) => r.engine === 'serverless')).toBe(true)
    // The first panel at once; one worker alone draws the other 11 (20 s each) after a 45 s start by 279 s only if
    // it starts within 14 s, so a second worker starts then, and no third.
    expect(paced.atOnce).toBe(2)
    expect(paced.finished).toBeLessThanOrEqual(279 * S)

    // Sent all at once, as the plain serverless policy does, 12 jobs wait at the endpoint together.
    const eager = await comicOnServerless(false)
    expect(eager.atOnce).toBe(12)
  })

  it('an endpoint slower than estimated: the line learns its pace from the first image and still finishes in time', async () => {
    // 20 s estimated, 80 s in fact (this fake starts no worker cold). Paced at the estimate, the last images would
    // wait until a 20 s image could still make it, and the comic would be done at 337 s; once the first image shows
    // 80 s, the line sends the rest at once.
    const slow = await comicOnServerless(true, 80_000)
    expect(slow.finished).toBeLessThanOrEqual(279 * S)
  })
})
