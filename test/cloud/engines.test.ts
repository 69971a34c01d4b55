import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/platform/clock.ts'
import { ComfyClient, ComfyEngine } from '../../src/art/comfy-client.ts'
import { RunpodServerlessClient, ServerlessEngine } from '../../src/art/runpod-serverless.ts'
import { FLUX_ENDPOINTS, RunpodFluxEngine } from '../../src/art/runpod-flux.ts'
import { ReplicateClient, ReplicateEngine, nearestAspect, replicateInput } from '../../src/art/replicate.ts'
import { startComfyServer } from '../fakes/comfy-server.ts'
import type { FakeComfyServer } from '../fakes/comfy-server.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { FakeReplicate } from '../fakes/replicate-server.ts'
import { GenerationLog, pngLabel } from '../fakes/runpod-shared.ts'
import { drive, expectRejects, imageRequest, testWorkflow } from './helpers.ts'

const RUNPOD_KEY = 'rpa_SECRETKEY_0123456789abcdef'
const REPLICATE_TOKEN = 'r8_SECRETTOKEN_0123456789abcdef'

let clock: ManualClock
let log: GenerationLog

beforeEach(() => {
  clock = new ManualClock()
  log = new GenerationLog()
})

function noKeys(message: string): void {
  expect(message).not.toContain(RUNPOD_KEY)
  expect(message).not.toContain(REPLICATE_TOKEN)
}

describe('ComfyUI worker client (local ComfyUI)', () => {
  let comfy: FakeComfyServer
  const token = 'worker-token-abcdef'

  beforeEach(async () => {
    comfy = await startComfyServer({ clock, log, where: 'local', genMs: 12_000, token })
  })
  afterEach(() => comfy.close())

  const client = (over: Partial<ConstructorParameters<typeof ComfyClient>[0]> = {}) =>
    new ComfyClient({ baseUrl: comfy.url, token, clock, pollMs: 1_000, requestTimeoutMs: 2_000, maxWaitMs: 120_000, ...over })
  const engine = (c = client()) => new ComfyEngine({ id: 'comfy-local', client: c, workflowFor: testWorkflow, provider: 'local' })

  it('submits the graph, polls /history, downloads the image from /view', async () => {
    const result = await drive(clock, engine().generate(imageRequest(7), { signal: new AbortController().signal }))
    expect(result.mime).toBe('image/png')
    expect(pngLabel(result.bytes)).toBe('seed:7')
    expect(result.costUsd).toBe(0)
    expect(log.done).toEqual([{ where: 'local', seed: 7 }])
  })

  it('answers /system_stats as its health check', async () => {
    const stats = await client().health()
    expect(stats.devices[0].name).toContain('A40')
  })

  it('sends its own token: a wrong one is auth', async () => {
    const err = await expectRejects(client({ token: 'wrong-token' }).health())
    expect(err.code).toBe('auth')
    expect(err.message).not.toContain('wrong-token')
  })

  it('classifies a failed run and a rejected graph', async () => {
    comfy.worker.failSeeds.add(3)
    const failed = await expectRejects(drive(clock, engine().generate(imageRequest(3), { signal: new AbortController().signal })))
    expect(failed.code).toBe('bad_response')
    expect(failed.message).toContain('CUDA out of memory')
    const rejected = await expectRejects(client().submit({ nonsense: 1 }))
    expect(rejected.code).toBe('bad_input')
  })

  it('cancels the prompt on abort', async () => {
    const ctl = new AbortController()
    const run = engine().generate(imageRequest(4), { signal: ctl.signal })
    clock.setTimeout(() => ctl.abort(), 5_000)
    const err = await expectRejects(drive(clock, run))
    expect(err.code).toBe('cancelled')
    await drive(clock, new Promise((r) => setTimeout(r, 20)))
    expect(comfy.worker.pendingCount()).toBe(0)
    expect(log.done).toEqual([])
  })

  it('gives up at its deadline and says timeout', async () => {
    comfy.worker.genMs = 600_000
    const err = await expectRejects(drive(clock, engine(client({ maxWaitMs: 30_000 })).generate(imageRequest(5), { signal: new AbortController().signal })))
    expect(err.code).toBe('timeout')
  })

  it('a worker that stopped answering is lost, not a hang', async () => {
    const c = client({ baseUrl: 'http://127.0.0.1:9' })
    const err = await expectRejects(c.health())
    expect(err.code).toBe('lost')
  })
})

describe('RunPod serverless (worker-comfyui)', () => {
  let fake: FakeRunpodServerless
  beforeEach(async () => {
    fake = await new FakeRunpodServerless({ clock, log, apiKey: RUNPOD_KEY, jobMs: 15_000, workers: 2 }).start()
  })
  afterEach(() => fake.close())

  const client = (over: Partial<ConstructorParameters<typeof RunpodServerlessClient>[0]> = {}) =>
    new RunpodServerlessClient({ baseUrl: fake.baseUrl, endpointId: 'ep-comfy', apiKey: RUNPOD_KEY, clock, requestTimeoutMs: 2_000, ...over })
  const engine = (c = client(), expectedRunMs = 15_000) => new ServerlessEngine({
    client: c, workflowFor: testWorkflow, clock, pricePerSecond: () => 0.00034,
    pollMs: 1_500, maxWaitMs: 600_000, stuckQueueMs: 60_000, executionTimeoutMs: 300_000, downloadTimeoutMs: 2_000,
    briskPollMs: 250, expectedRunMs,
  })
  const signal = () => new AbortController().signal
  // One image on the fake endpoint: the clock time until the engine heard it was done, and the status calls it made.
  const timed = async (e: ServerlessEngine, seed: number) => {
    const t0 = clock.now()
    const calls = fake.calls.status
    await drive(clock, e.generate(imageRequest(seed), { signal: signal() }), { maxStepMs: 50 })
    return { ms: clock.now() - t0, statusCalls: fake.calls.status - calls }
  }

  it('runs /run → /status → base64 output, priced by execution time', async () => {
    const r = await drive(clock, engine().generate(imageRequest(11), { signal: signal() }))
    expect(pngLabel(r.bytes)).toBe('seed:11')
    expect(r.costUsd).toBeCloseTo(15 * 0.00034, 6)
    expect(fake.calls.run).toBe(1)
    expect(log.done).toEqual([{ where: 'serverless:ep-comfy', seed: 11 }])
  })

  it('hears of a job as it ends, not on the next beat: the worker would bill the wait for the next image', async () => {
    // 14 s images: a 1.5 s beat would hear of the first at 15 s.
    fake.jobMs = 14_000
    const e = engine(client(), 12_000)
    // Expecting 12 s: the beat to 10.5 s, then every 250 ms from 10.8 s (and once at 12 s) until it is heard.
    expect(await timed(e, 21)).toEqual({ ms: 14_000, statusCalls: 7 + 14 })
    // It learned the endpoint's pace (12 → 12.5 s) and asks closer to the end next time.
    const next = await timed(e, 22)
    expect(next.ms).toBeGreaterThanOrEqual(14_000)
    expect(next.ms).toBeLessThanOrEqual(14_250)
    expect(next.statusCalls).toBeLessThan(7 + 14)
  })

  it('five workers drawing a comic of 40 images five at a time idle at most a brisk beat between images once the pace is known, where the beat left them a second', async () => {
    // 12.4 s images: a 1.5 s beat hears of each 1.1 s after it ends.
    fake.jobMs = 12_400
    fake.workers = 5
    // Per worker, how long it sat idle (billed) before each of its images after the first.
    const idleBetweenImages = async (e: ServerlessEngine) => {
      fake.jobs.clear()
      let seed = 100
      const lane = async () => {
        for (let i = 0; i < 8; i++) await e.generate(imageRequest(seed++), { signal: signal() })
      }
      // Small clock steps: while a status call is in flight the other lanes' timers move the clock on.
      await drive(clock, Promise.all(Array.from({ length: 5 }, lane)), { maxStepMs: 10 })
      const byWorker = new Map<number, { start: number; end: number }[]>()
      for (const j of fake.jobs.values()) byWorker.set(j.worker, [...(byWorker.get(j.worker) ?? []), { start: j.start!, end: j.end! }])
      return [...byWorker.values()].map((jobs) => jobs.sort((a, b) => a.start - b.start).slice(1).map((j, i) => j.start - jobs[i].end))
    }
    // The usual beat only: no expected end is ever near.
    const beat = await idleBetweenImages(engine(client(), 1e9))
    expect(beat.flat()).toHaveLength(35)
    expect(Math.min(...beat.flat())).toBeGreaterThanOrEqual(1_100)
    // A first guess of 15 s: the first image on each worker is heard on the beat, and teaches the pace.
    const paced = await idleBetweenImages(engine(client(), 15_000))
    expect(paced.flat()).toHaveLength(35)
    // A brisk beat (250 ms), and what the clock moved on while the studio's calls were in flight.
    expect(Math.max(...paced.flatMap((gaps) => gaps.slice(1)))).toBeLessThanOrEqual(300)
  })

  it('a queued job counts its end from when it started (delayTime)', async () => {
    fake.jobMs = 14_000
    fake.workers = 1
    const e = engine(client(), 14_000)
    const t0 = clock.now()
    const done: number[] = []
    const run = (seed: number) => e.generate(imageRequest(seed), { signal: signal() }).then(() => done.push(clock.now() - t0))
    await drive(clock, Promise.all([run(23), run(24)]), { maxStepMs: 50 })
    // The second started at 14 s, when the first left its worker.
    expect(done).toEqual([14_000, 28_000])
  })

  it('a job running long past its expected end goes back to the usual beat', async () => {
    fake.jobMs = 30_000
    // The beat to 10.5 s (7), brisk from 10.8 s until 3 s past the expected 12 s (18), then every 1.5 s (10).
    expect(await timed(engine(client(), 12_000), 25)).toEqual({ ms: 30_000, statusCalls: 7 + 18 + 10 })
  })

  it('downloads an s3_url output at once', async () => {
    fake.outputMode = 's3_url'
    const r = await drive(clock, engine().generate(imageRequest(12), { signal: signal() }))
    expect(pngLabel(r.bytes)).toBe('seed:12')
  })

  it('401 is auth, and the key never shows', async () => {
    const err = await expectRejects(client({ apiKey: 'rpa_WRONG_KEY_123456' }).run({ workflow: {} }))
    expect(err.code).toBe('auth')
    expect(err.message).not.toContain('rpa_WRONG_KEY_123456')
  })

  it('429 carries Retry-After, and the engine waits that long before resubmitting', async () => {
    fake.rateLimitNext = 1
    fake.retryAfterSeconds = 7
    const direct = await expectRejects(client().run({ workflow: testWorkflow(imageRequest(1)) }))
    expect(direct.code).toBe('rate_limit')
    expect(direct.retryAfterMs).toBe(7_000)
    fake.rateLimitNext = 1
    const t0 = clock.now()
    const r = await drive(clock, engine().generate(imageRequest(13), { signal: signal() }))
    expect(pngLabel(r.bytes)).toBe('seed:13')
    expect(clock.now() - t0).toBeGreaterThanOrEqual(7_000 + 15_000)
    expect(log.countBySeed().get(13)).toBe(1)
  })

  it('5xx is a retryable bad_response; /status polls ride it out', async () => {
    fake.serverErrorsNext = 1
    const err = await expectRejects(client().run({ workflow: {} }))
    expect(err.code).toBe('bad_response')
    expect(err.retryable).toBe(true)
    const run = engine().generate(imageRequest(14), { signal: signal() })
    clock.setTimeout(() => { fake.serverErrorsNext = 2 }, 4_000)
    const r = await drive(clock, run)
    expect(pngLabel(r.bytes)).toBe('seed:14')
    expect(fake.calls.run).toBe(1)
  })

  it('404 on /status is an expired job: lost', async () => {
    fake.jobTtlMs = 5_000
    const err = await expectRejects(drive(clock, engine().generate(imageRequest(15), { signal: signal() })))
    expect(err.code).toBe('lost')
  })

  it('a request that gets no answer times out', async () => {
    fake.hangNext = 1
    const err = await expectRejects(client({ requestTimeoutMs: 150 }).health())
    expect(err.code).toBe('timeout')
  })

  it('a FAILED job is bad_response with the worker error', async () => {
    fake.failSeeds.add(16)
    const err = await expectRejects(drive(clock, engine().generate(imageRequest(16), { signal: signal() })))
    expect(err.code).toBe('bad_response')
    expect(err.message).toContain('out of memory')
  })

  it('an endpoint scaled to zero is noticed from /health, and the job is cancelled', async () => {
    fake.workers = 0
    const t0 = clock.now()
    const err = await expectRejects(drive(clock, engine().generate(imageRequest(17), { signal: signal() })))
    expect(err.code).toBe('capacity')
    expect(err.message).toContain('scales an unused endpoint to zero')
    expect(clock.now() - t0).toBeLessThan(120_000)
    expect([...fake.jobs.values()][0].state).toBe('CANCELLED')
  })

  it('a crash-looping endpoint is told apart from an empty one', async () => {
    fake.crashLoop = true
    const err = await expectRejects(drive(clock, engine().generate(imageRequest(18), { signal: signal() })))
    expect(err.code).toBe('capacity')
    expect(err.message).toContain('crash-looping')
  })

  it('abort cancels the job at RunPod', async () => {
    const ctl = new AbortController()
    clock.setTimeout(() => ctl.abort(), 5_000)
    const err = await expectRejects(drive(clock, engine().generate(imageRequest(19), { signal: ctl.signal })))
    expect(err.code).toBe('cancelled')
    expect(fake.calls.cancel).toBe(1)
    expect([...fake.jobs.values()][0].state).toBe('CANCELLED')
  })
})

describe('RunPod public Flux endpoint', () => {
  let fake: FakeRunpodServerless
  beforeEach(async () => {
    fake = await new FakeRunpodServerless({ clock, log, apiKey: RUNPOD_KEY, jobMs: 6_000, workers: 4 }).start()
  })
  afterEach(() => fake.close())

  const engine = (syncWaitMs = 60_000) => new RunpodFluxEngine({
    client: new RunpodServerlessClient({ baseUrl: fake.baseUrl, endpointId: FLUX_ENDPOINTS['flux-1-dev'], apiKey: RUNPOD_KEY, clock, requestTimeoutMs: 2_000 }),
    model: 'flux-1-dev', clock, syncWaitMs, pollMs: 1_000, maxWaitMs: 300_000, stuckQueueMs: 60_000, downloadTimeoutMs: 2_000, pricePerMegapixel: 0.02,
  })

  it('/runsync returns {image_url, cost}; the image is fetched at once and sizes snap to ×64', async () => {
    const r = await drive(clock, engine().generate(imageRequest(21, { width: 1000, height: 700 }), { signal: new AbortController().signal }))
    expect(pngLabel(r.bytes)).toBe('seed:21')
    expect(r.costUsd).toBeCloseTo((1024 * 704 / 1e6) * 0.02, 5)
    expect(fake.calls.runsync).toBe(1)
    expect(fake.calls.status).toBe(0)
  })

  it('falls back to polling /status when /runsync returns before the job ends', async () => {
    fake.jobMs = 20_000
    const r = await drive(clock, engine(2_000).generate(imageRequest(22), { signal: new AbortController().signal }))
    expect(pngLabel(r.bytes)).toBe('seed:22')
    expect(fake.calls.status).toBeGreaterThan(0)
  })

  it('an expired result URL is lost', async () => {
    fake.resultTtlMs = -1
    const err = await expectRejects(drive(clock, engine().generate(imageRequest(23), { signal: new AbortController().signal })))
    expect(err.code).toBe('lost')
  })
})

describe('Replicate', () => {
  let fake: FakeReplicate
  beforeEach(async () => {
    fake = await new FakeReplicate({ clock, log, token: REPLICATE_TOKEN, predictMs: 8_000 }).start()
  })
  afterEach(() => fake.close())

  const client = (token = REPLICATE_TOKEN, requestTimeoutMs = 2_000) => new ReplicateClient({ baseUrl: fake.baseUrl, apiToken: token, clock, requestTimeoutMs })
  const engine = (c = client()) => new ReplicateEngine({
    client: c, model: 'black-forest-labs/flux-dev', clock, waitSeconds: 60, pollMs: 1_000, maxWaitMs: 300_000, downloadTimeoutMs: 2_000, pricePerImage: 0.025,
  })
  const signal = () => new AbortController().signal

  it('Prefer: wait returns the finished prediction; the output is downloaded', async () => {
    const r = await drive(clock, engine().generate(imageRequest(31, { width: 1216, height: 832 }), { signal: signal() }))
    expect(pngLabel(r.bytes)).toBe('seed:31')
    expect(r.costUsd).toBe(0.025)
    expect(fake.calls).toMatchObject({ create: 1, get: 0 })
    expect([...fake.predictions.values()][0].input.aspect_ratio).toBe('3:2')
  })

  it('polls urls.get when the prediction outlives the wait', async () => {
    fake.predictMs = 90_000
    const r = await drive(clock, engine().generate(imageRequest(32), { signal: signal() }))
    expect(pngLabel(r.bytes)).toBe('seed:32')
    expect(fake.calls.get).toBeGreaterThan(0)
  })

  it('classifies 401, 429 with Retry-After, 5xx, 422 and a 404 prediction', async () => {
    const input = { prompt: 'x' }
    const auth = await expectRejects(client('r8_BAD_TOKEN_xxxxxxxx').create('black-forest-labs/flux-dev', input, { waitSeconds: 1 }))
    expect(auth.code).toBe('auth')
    noKeys(auth.message)
    expect(auth.message).not.toContain('r8_BAD_TOKEN_xxxxxxxx')
    fake.rateLimitNext = 1
    const limited = await expectRejects(client().create('black-forest-labs/flux-dev', input, { waitSeconds: 1 }))
    expect(limited).toMatchObject({ code: 'rate_limit', retryAfterMs: 2_000 })
    fake.serverErrorsNext = 1
    const down = await expectRejects(client().create('black-forest-labs/flux-dev', input, { waitSeconds: 1 }))
    expect(down).toMatchObject({ code: 'bad_response', retryable: true })
    const invalid = await expectRejects(client().create('black-forest-labs/flux-dev', { seed: 1 }, { waitSeconds: 1 }))
    expect(invalid.code).toBe('bad_input')
    const gone = await expectRejects(client().get({ id: 'nope', status: 'processing' }))
    expect(gone.code).toBe('lost')
  })

  it('a timeout, a failed prediction and an expired output', async () => {
    fake.hangNext = 1
    const slow = await expectRejects(client(REPLICATE_TOKEN, 150).get({ id: 'r1', status: 'processing' }))
    expect(slow.code).toBe('timeout')
    fake.failSeeds.add(34)
    const failed = await expectRejects(drive(clock, engine().generate(imageRequest(34), { signal: signal() })))
    expect(failed.code).toBe('bad_response')
    fake.outputTtlMs = -1
    const expired = await expectRejects(drive(clock, engine().generate(imageRequest(35), { signal: signal() })))
    expect(expired.code).toBe('lost')
  })

  // Replicate has no idempotency key: a create that took effect but whose answer never came must not be paid twice.
  const quick = () => new ReplicateEngine({
    client: client(REPLICATE_TOKEN, 150), model: 'black-forest-labs/flux-dev', clock, waitSeconds: 1, pollMs: 1_000, maxWaitMs: 300_000, downloadTimeoutMs: 2_000, pricePerImage: 0.025,
  })

  for (const mode of ['hang', 'drop'] as const) {
    it(`a create whose answer is lost (${mode === 'hang' ? 'no answer in time' : 'connection closed'}) is found in the list and followed, not started again`, async () => {
      fake.loseAnswerNext = { mode, count: 1 }
      const r = await drive(clock, quick().generate(imageRequest(41), { signal: signal() }))
      expect(pngLabel(r.bytes)).toBe('seed:41')
      expect(fake.calls.create).toBe(1)
      expect(fake.predictions.size).toBe(1)
      expect(fake.calls.list).toBeGreaterThan(0)
      expect(log.countBySeed().get(41)).toBe(1)
    })
  }

  it('a create that started nothing still fails with its own error, and a prediction already answered is never taken for it', async () => {
    const engine = quick()
    await drive(clock, engine.generate(imageRequest(42), { signal: signal() }))
    fake.hangNext = 1
    const err = await expectRejects(drive(clock, engine.generate(imageRequest(42), { signal: signal() })))
    expect(err.code).toBe('timeout')
    expect(fake.predictions.size).toBe(1)
    // Looked twice (the list can lag behind a create), then gave up.
    expect(fake.calls.list).toBe(2)
  })

  it('a resumed image follows the prediction its earlier run started before a crash, instead of paying again', async () => {
    const model = 'black-forest-labs/flux-dev'
    // The run the crash cut short: its prediction went on and was billed.
    await drive(clock, client().create(model, replicateInput(imageRequest(46)), { waitSeconds: 1 }))
    const r = await drive(clock, engine().generate(imageRequest(46), { signal: signal(), resumable: true }))
    expect(pngLabel(r.bytes)).toBe('seed:46')
    expect(fake.calls.create).toBe(1)
    expect(fake.predictions.size).toBe(1)
    // A first attempt never looks; an earlier prediction that was cancelled is not followed.
    await drive(clock, engine().generate(imageRequest(46), { signal: signal() }))
    expect(fake.predictions.size).toBe(2)
    fake.predictMs = 200_000
    const running = await drive(clock, client().create(model, replicateInput(imageRequest(48)), { waitSeconds: 1 }))
    await client().cancel(running)
    fake.predictMs = 8_000
    await drive(clock, engine().generate(imageRequest(48), { signal: signal(), resumable: true }))
    expect([...fake.predictions.values()].filter((p) => p.seed === 48).map((p) => p.state)).toEqual(['canceled', 'succeeded'])
  })

  it('a retry after a download that failed fetches the same picture again: it is not drawn (or paid) twice', async () => {
    const e = engine()
    fake.outputTtlMs = -1
    const lost = await expectRejects(drive(clock, e.generate(imageRequest(49), { signal: signal() })))
    expect(lost.code).toBe('lost')
    fake.outputTtlMs = 3_600_000
    const r = await drive(clock, e.generate(imageRequest(49), { signal: signal(), resumable: true }))
    expect(pngLabel(r.bytes)).toBe('seed:49')
    expect(fake.predictions.size).toBe(1)
    expect(log.countBySeed().get(49)).toBe(1)
  })

  it('find reads the list newest first, page by page, and stops at predictions older than asked', async () => {
    const c = client()
    const model = 'black-forest-labs/flux-dev'
    const since = clock.now()
    for (const seed of [43, 44, 45]) await drive(clock, c.create(model, replicateInput(imageRequest(seed)), { waitSeconds: 1 }))
    fake.pageSize = 1
    const wanted = replicateInput(imageRequest(43))
    const found = await c.find(model, wanted, since, { skip: new Set() })
    expect(found?.id).toBe([...fake.predictions.keys()][0])
    expect(fake.calls.list).toBe(3)
    expect(await c.find(model, wanted, since, { skip: new Set(), pages: 2 })).toBeNull()
    expect(await c.find(model, wanted, since, { skip: new Set([found!.id]) })).toBeNull()
    expect(await c.find(model, replicateInput(imageRequest(43, { width: 1216, height: 832 })), since, { skip: new Set() })).toBeNull()
    expect(await c.find('black-forest-labs/flux-schnell', wanted, since, { skip: new Set() })).toBeNull()
    expect(await c.find(model, wanted, clock.now() + 1, { skip: new Set() })).toBeNull()
  })

  it('abort cancels the prediction', async () => {
    fake.predictMs = 200_000
    const ctl = new AbortController()
    clock.setTimeout(() => ctl.abort(), 70_000)
    const err = await expectRejects(drive(clock, engine().generate(imageRequest(36), { signal: ctl.signal })))
    expect(err.code).toBe('cancelled')
    expect(fake.calls.cancel).toBe(1)
    expect([...fake.predictions.values()][0].state).toBe('canceled')
  })

  it('maps sizes to the nearest aspect ratio Flux accepts', () => {
    expect(nearestAspect(1024, 1024)).toBe('1:1')
    expect(nearestAspect(1920, 1080)).toBe('16:9')
    expect(nearestAspect(768, 1024)).toBe('3:4')
  })
})
