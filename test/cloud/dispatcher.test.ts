import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/platform/clock.ts'
import { Dispatcher } from '../../src/cloud/dispatcher.ts'
import type { DispatchResult, PerImageEngines } from '../../src/cloud/dispatcher.ts'
import { PodManager } from '../../src/cloud/pod-manager.ts'
import { LATE_WAIT_SECONDS, RELAXED_KEEP_ALIVE_SECONDS, route } from '../../src/cloud/router.ts'
import { onDemandBackend } from '../../src/cloud/pod-backend.ts'
import { RunpodRestClient } from '../../src/cloud/runpod-rest.ts'
import { pricesFromCatalog } from '../../src/cloud/prices.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'
import type { CloudSettings, CloudSettingsInput } from '../../src/cloud/settings.ts'
import { ComfyClient, ComfyEngine } from '../../src/art/comfy-client.ts'
import { RunpodServerlessClient, ServerlessEngine } from '../../src/art/runpod-serverless.ts'
import { FakeRunpodCloud } from '../fakes/runpod-pods.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { startComfyServer } from '../fakes/comfy-server.ts'
import { GenerationLog, pngLabel } from '../fakes/runpod-shared.ts'
import { EventLog, drive, imageRequest, settle, testWorkflow, until } from './helpers.ts'

const KEY = 'rpa_SECRETKEY_0123456789abcdef'

interface World {
  clock: ManualClock
  log: GenerationLog
  cloud: FakeRunpodCloud
  serverless: FakeRunpodServerless
  settings: CloudSettings
  pods: PodManager
  dispatcher: Dispatcher
  events: EventLog
  close(): Promise<void>
}

let world: World | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

async function makeWorld(pods: CloudSettingsInput['pods'] = {}, extra: PerImageEngines = {}, policy?: typeof route): Promise<World> {
  const clock = new ManualClock()
  const log = new GenerationLog()
  const cloud = await new FakeRunpodCloud({ clock, log, apiKey: KEY, bootMs: 60_000, warmupMs: 30_000, genMs: 10_000 }).start()
  const serverless = await new FakeRunpodServerless({ clock, log, apiKey: KEY, jobMs: 20_000, workers: 3 }).start()
  const settings = parseCloudSettings({
    urls: { runpodRest: cloud.restUrl, runpodServerless: serverless.baseUrl, podProxy: cloud.proxyTemplate },
    serverless: { endpointId: 'ep-comfy' },
    pods: { maxPods: 2, slotsPerPod: 2, ...pods },
    poll: { jobSeconds: 3, bootSeconds: 5 },
  })
  const rest = new RunpodRestClient({ baseUrl: settings.urls.runpodRest, apiKey: KEY, clock, requestTimeoutMs: 2_000 })
  const prices = pricesFromCatalog(await rest.listGpuTypes(), settings, '2026-11-20')
  const events = new EventLog()
  const manager = new PodManager({ settings, backend: onDemandBackend(rest), rest, clock, installId: 'install42', workerToken: 'worker-token', emit: events.emit })
  const serverlessEngine = new ServerlessEngine({
    client: new RunpodServerlessClient({ baseUrl: settings.urls.runpodServerless, endpointId: 'ep-comfy', apiKey: KEY, clock, requestTimeoutMs: 2_000 }),
    workflowFor: testWorkflow, clock, pricePerSecond: () => prices.serverlessPerSecond,
    pollMs: 4_000, maxWaitMs: 600_000, stuckQueueMs: 120_000, executionTimeoutMs: 600_000, downloadTimeoutMs: 2_000, briskPollMs: 250, expectedRunMs: 15_000,
  })
  const dispatcher = new Dispatcher({
    settings, engines: { serverless: serverlessEngine, ...extra }, pods: manager, workflowFor: testWorkflow,
    prices: () => prices, emit: events.emit, clock, route: policy,
  })
  return {
    clock, log, cloud, serverless, settings, pods: manager, dispatcher, events,
    close: async () => {
      dispatcher.close()
      await drive(clock, manager.shutdown())
      await cloud.close()
      await serverless.close()
    },
  }
}

// A comic's panels through the dispatcher, `parallel` at a time, as the queue's panel handler would call it.
async function runBatch(w: World, count: number, parallel: number, firstSeed = 1000, urgentAt = -1): Promise<DispatchResult[]> {
  const results: DispatchResult[] = new Array(count)
  let next = 0
  const lane = async () => {
    while (next < count) {
      const i = next++
      results[i] = await w.dispatcher.generate(imageRequest(firstSeed + i), { signal: new AbortController().signal, comicId: 'comic1', urgent: i === urgentAt, remaining: count - i, firstOfComic: i === 0 })
    }
  }
  await drive(w.clock, Promise.all(Array.from({ length: parallel }, lane)))
  return results
}

function expectEveryImageOnce(w: World, results: DispatchResult[], firstSeed: number): void {
  results.forEach((r, i) => expect(pngLabel(r.bytes)).toBe(`seed:${firstSeed + i}`))
  const counts = w.log.countBySeed()
  expect(counts.size).toBe(results.length)
  for (const [seed, n] of counts) expect(n, `seed ${seed} generated ${n} times`).toBe(1)
}

describe('dispatcher: the cloud burst end to end', () => {
  it('a 40-panel comic finishes with every image when a pod is preempted mid-batch, and nothing is drawn twice', async () => {
    const w = (world = await makeWorld())
    w.cloud.preemptAfterViews = 6
    const results = await runBatch(w, 40, 4)

    expectEveryImageOnce(w, results, 1000)
    const byEngine = (e: string) => results.filter((r) => r.engine === e).length
    expect(byEngine('pod')).toBeGreaterThanOrEqual(6)
    expect(byEngine('serverless')).toBeGreaterThanOrEqual(4)
    expect(byEngine('pod') + byEngine('serverless')).toBe(40)

    const [warning] = w.events.of('pod_preemption_warning')
    const lost = w.cloud.pods.get(warning.podId)!
    expect(lost.exitedAt).not.toBeNull()
    // The preempted pod had work queued behind its last image; that work finished on serverless instead.
    expect(lost.worker.submitted).toBeGreaterThan(lost.worker.views)
    expect(w.log.at(`pod:${lost.id}`)).toBe(lost.worker.views)
    expect(w.events.of('fallback_activated')).toContainEqual(expect.objectContaining({ from: 'pod', to: 'serverless' }))
    expect(w.events.of('pod_terminated').map((e) => e.podId)).toContain(lost.id)
    expect(w.events.of('route_decision')).toHaveLength(40)
    expect(w.events.of('route_decision')[0].reason).toContain('first panel')
    expect(w.events.of('route_decision')[1].reason).toContain('booting')

    await drive(w.clock, w.pods.shutdown())
    expect(w.cloud.billing()).toEqual([])
  })

  it('the first panel appears on serverless within seconds while the pod boots; the rest wait for the cheaper pod', async () => {
    const w = (world = await makeWorld({ maxPods: 1 }))
    const results = await runBatch(w, 30, 3)
    expectEveryImageOnce(w, results, 1000)
    expect(results[0].engine).toBe('serverless')
    expect(results.slice(1).every((r) => r.engine === 'pod')).toBe(true)
    expect(w.events.of('route_decision')[1].reason).toMatch(/a pod is booting \(ready in about \d+ s\)/)
    expect(w.events.of('pod_ready')).toHaveLength(1)
    expect(w.events.of('fallback_activated')).toEqual([])
  })

  it('a pod that fails to boot falls back: every image on serverless, the pod terminated', async () => {
    const w = (world = await makeWorld({ maxPods: 1 }))
    w.cloud.bootFailure = 'crash'
    const results = await runBatch(w, 30, 4)
    expectEveryImageOnce(w, results, 1000)
    expect(results.every((r) => r.engine === 'serverless')).toBe(true)
    expect(w.events.of('fallback_activated')).toEqual([expect.objectContaining({ from: 'pod', to: 'serverless' })])
    expect(w.events.of('fallback_activated')[0].reason).toContain('while booting')
    expect(w.cloud.billing()).toEqual([])
  })

  it('no capacity on any GPU type: one try per type, then serverless for the whole batch', async () => {
    const w = (world = await makeWorld({ maxPods: 1 }))
    w.cloud.noCapacity = 'all'
    const results = await runBatch(w, 30, 4)
    expectEveryImageOnce(w, results, 1000)
    expect(results.every((r) => r.engine === 'serverless')).toBe(true)
    expect(w.cloud.calls.create).toBe(w.settings.pods.gpuTypes.length)
    expect(w.events.of('fallback_activated')[0].reason).toContain('no capacity')
  })

  it('a small batch never rents a pod', async () => {
    const w = (world = await makeWorld())
    const results = await runBatch(w, 8, 4)
    expectEveryImageOnce(w, results, 1000)
    expect(w.cloud.calls.create).toBe(0)
    expect(w.events.of('route_decision')[1].reason).toContain('break-even')
  })

  it('without urgency the idle pod left after a batch is terminated within seconds, not after the idle setting', async () => {
    const w = (world = await makeWorld({ maxPods: 1, idleMinutes: 5 }))
    await runBatch(w, 30, 3)
    expect(w.cloud.billing()).toHaveLength(1)
    const doneAt = w.clock.now()
    await drive(w.clock, until(() => w.events.of('pod_terminated').length === 1))
    expect(w.events.of('pod_terminated')[0].reason).toBe(`idle for ${RELAXED_KEEP_ALIVE_SECONDS} s`)
    expect(w.clock.now() - doneAt).toBeGreaterThanOrEqual(RELAXED_KEEP_ALIVE_SECONDS * 1000 - 1_000)
    expect(w.clock.now() - doneAt).toBeLessThanOrEqual(RELAXED_KEEP_ALIVE_SECONDS * 1000 + 15_000)
    expect(w.cloud.billing()).toEqual([])
  })

  it('urgent work seen lately keeps its keep-alive: relaxed images after it do not cut it to seconds', async () => {
    const w = (world = await makeWorld({ maxPods: 1, idleMinutes: 5 }))
    // Image 20 of 30 is an urgent one (say, a panel redrawn for an urgent comic); the rest are relaxed.
    await runBatch(w, 30, 3, 1000, 20)
    expect(w.cloud.billing()).toHaveLength(1)
    const doneAt = w.clock.now()
    await drive(w.clock, until(() => w.events.of('pod_terminated').length === 1))
    expect(w.events.of('pod_terminated')[0].reason).toBe('idle for 5 min')
    expect(w.clock.now() - doneAt).toBeGreaterThanOrEqual(4 * 60_000)
  })

  it('a first panel waits for a pod ahead of the line, so it goes to the pod and is drawn before the images already waiting', async () => {
    const w = (world = await makeWorld({ maxPods: 1 }))
    w.pods.ensure(1)
    await drive(w.clock, until(() => w.events.of('pod_ready').length === 1))
    const done: number[] = []
    const draw = (seed: number, firstOfComic: boolean) => w.dispatcher.generate(imageRequest(seed), { signal: new AbortController().signal, comicId: 'comic1', urgent: false, remaining: 1, firstOfComic })
      .then((r) => {
        done.push(seed)
        return r
      })
    // Two images take the pod's slots, three wait for one; then another comic's first panel comes.
    const drawing = [1, 2, 3, 4, 5].map((seed) => draw(seed, false))
    await settle(w.clock)
    drawing.push(draw(100, true))
    const results = await drive(w.clock, Promise.all(drawing))
    expect(results.every((r) => r.engine === 'pod')).toBe(true)
    expect(w.events.of('route_decision').at(-1)!.reason).toMatch(/^the first panel is drawn on a pod in about 15 s/)
    expect(done.indexOf(100)).toBeLessThan(done.indexOf(3))
  })

  it('a comic let run late waits behind the images due by their deadline, and leaves for serverless once it would miss the relaxed one', async () => {
    // Urgent images here are the late comic's: the router lets them run late whenever it is asked.
    const w = (world = await makeWorld({ maxPods: 1, slotsPerPod: 1 }, {}, (input) => input.urgent ? { ...route(input), engine: 'pod', late: true } : route(input)))
    w.pods.ensure(1)
    await drive(w.clock, until(() => w.events.of('pod_ready').length === 1))
    const done: string[] = []
    const draw = (name: string, seed: number, late: boolean, askedAt = w.clock.now()) =>
      w.dispatcher.generate(imageRequest(seed), { signal: new AbortController().signal, comicId: late ? 'late-comic' : 'on-time', urgent: late, remaining: 1, firstOfComic: false, askedAt })
        .then((r) => {
          done.push(name)
          return r
        })
    const drawing = [draw('a', 1, false)]
    await settle(w.clock)
    drawing.push(draw('late', 2, true), draw('b', 3, false), draw('c', 4, false))
    // Asked for 25 minutes ago: it may wait for a pod only 5 s more before serverless must take it.
    const leaveIn = 5_000
    drawing.push(draw('stale', 5, true, w.clock.now() - LATE_WAIT_SECONDS * 1000 + leaveIn))
    const results = await drive(w.clock, Promise.all(drawing))
    expect(done.filter((n) => n !== 'stale')).toEqual(['a', 'b', 'c', 'late'])
    expect(results.map((r) => r.engine)).toEqual(['pod', 'pod', 'pod', 'pod', 'serverless'])
    const left = w.events.of('route_decision').filter((e) => e.reason.startsWith('no pod was free in time'))
    expect(left).toEqual([{ type: 'route_decision', comicId: 'late-comic', engine: 'serverless', reason: 'no pod was free in time for a comic running late: serverless takes it, to finish within 30 minutes' }])
    expect(w.dispatcher.podLine()).toBe(0)
  })

  it("a user's own ComfyUI takes the work when it is configured", async () => {
    const clock = new ManualClock()
    const log = new GenerationLog()
    const local = await startComfyServer({ clock, log, where: 'local', genMs: 5_000 })
    try {
      const events = new EventLog()
      const settings = parseCloudSettings({ localComfyUrl: local.url })
      const engine = new ComfyEngine({ id: 'comfy-local', workflowFor: testWorkflow, provider: 'local', client: new ComfyClient({ baseUrl: local.url, clock, pollMs: 1_000, requestTimeoutMs: 2_000, maxWaitMs: 60_000 }) })
      const dispatcher = new Dispatcher({ settings, engines: { 'comfy-local': engine }, pods: null, workflowFor: testWorkflow, prices: () => pricesFromCatalog([], settings, 'x'), emit: events.emit, clock })
      const r = await drive(clock, dispatcher.generate(imageRequest(5), { signal: new AbortController().signal, comicId: null, urgent: true, remaining: 1, firstOfComic: true }))
      expect(r.engine).toBe('comfy-local')
      expect(pngLabel(r.bytes)).toBe('seed:5')
      expect(events.of('route_decision')[0]).toMatchObject({ engine: 'comfy-local' })
    } finally {
      await local.close()
    }
  })
})
