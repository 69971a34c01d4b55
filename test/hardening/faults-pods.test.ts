import { afterEach, describe, expect, it } from 'vitest'
import { request as httpRequest } from 'undici'
import { ManualClock } from '../../src/platform/clock.ts'
import { EnvSecrets } from '../../src/platform/secrets.ts'
import { createCloudBurst, type CloudBurst } from '../../src/cloud/burst.ts'
import { podProvider, type DispatchResult } from '../../src/cloud/dispatcher.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'
import { FakeRunpodCloud, type FakePod } from '../fakes/runpod-pods.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { GenerationLog, pngLabel } from '../fakes/runpod-shared.ts'
import { EventLog, drive, imageRequest, testWorkflow, until } from '../cloud/helpers.ts'

// A pod can be lost at any point of its life. Whenever it happens, the batch must still finish with every
// image exactly once (what the pod finished counts, nothing is drawn twice), and nothing may stay billing.

const KEY = 'rpa_HARDENING_PODS_0123456789abcdef'

interface World {
  clock: ManualClock
  log: GenerationLog
  cloud: FakeRunpodCloud
  serverless: FakeRunpodServerless
  burst: CloudBurst
  events: EventLog
}

const worlds: World[] = []
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await drive(w.clock, w.burst.shutdown())
    await w.cloud.close()
    await w.serverless.close()
  }
})

async function world(extra: { onBilled?: () => void } = {}): Promise<World> {
  const clock = new ManualClock()
  const log = new GenerationLog()
  const cloud = await new FakeRunpodCloud({ clock, log, apiKey: KEY, bootMs: 60_000, warmupMs: 30_000, genMs: 10_000 }).start()
  const serverless = await new FakeRunpodServerless({ clock, log, apiKey: KEY, jobMs: 20_000, workers: 3 }).start()
  const settings = parseCloudSettings({
    urls: { runpodRest: cloud.restUrl, runpodGraphql: cloud.graphqlUrl, runpodServerless: serverless.baseUrl, podProxy: cloud.proxyTemplate },
    serverless: { endpointId: 'ep-comfy' },
    pods: { maxPods: 1, slotsPerPod: 2, retryAfterFailureSeconds: 60 },
    poll: { jobSeconds: 3, bootSeconds: 5, requestTimeoutSeconds: 2, downloadTimeoutSeconds: 2 },
  })
  const events = new EventLog()
  const burst = createCloudBurst({ settings, secrets: new EnvSecrets({ RUNPOD_API_KEY: KEY }), clock, emit: events.emit, installId: 'hardening', workflowFor: testWorkflow, today: () => '2026-11-20', onBilled: extra.onBilled })
  const w = { clock, log, cloud, serverless, burst, events }
  worlds.push(w)
  await drive(clock, burst.start())
  return w
}

async function batch(w: World, count: number, firstSeed: number, during: Promise<unknown> = Promise.resolve()): Promise<DispatchResult[]> {
  const results: DispatchResult[] = new Array(count)
  let next = 0
  const lane = async () => {
    while (next < count) {
      const i = next++
      results[i] = await w.burst.dispatcher.generate(imageRequest(firstSeed + i), { signal: new AbortController().signal, comicId: 'comic', urgent: false, remaining: count - i, firstOfComic: i === 0 })
    }
  }
  await drive(w.clock, Promise.all([...Array.from({ length: 4 }, lane), during]), { limitMs: 3_600_000 })
  return results
}

function firstPod(w: World): FakePod | undefined {
  return [...w.cloud.pods.values()][0]
}

// Waits (inside drive) for the pod to reach a state, then loses it there.
function loseWhen(w: World, reached: (pod: FakePod) => boolean, lose: (pod: FakePod) => Promise<void> | void): Promise<string> {
  return until(() => { const p = firstPod(w); return p !== undefined && reached(p) }).then(async () => {
    const pod = firstPod(w)!
    await lose(pod)
    return pod.id
  })
}

const preempt = (w: World) => (pod: FakePod) => w.cloud.preempt(pod.id)
// The worker process dies but RunPod still says RUNNING: only the health checks can tell.
const workerDies = (pod: FakePod) => pod.worker.kill()
// Someone terminates the pod from RunPod's console.
const terminatedElsewhere = (w: World) => async (pod: FakePod) => {
  const res = await httpRequest(`${w.cloud.restUrl}/pods/${pod.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } })
  await res.body.dump()
}

function expectEveryImageOnce(w: World, results: DispatchResult[], firstSeed: number): void {
  results.forEach((r, i) => expect(pngLabel(r.bytes), `image ${i}`).toBe(`seed:${firstSeed + i}`))
  for (const [seed, n] of w.log.countBySeed()) expect(n, `seed ${seed} drawn ${n} times`).toBe(1)
  expect(w.log.done.length).toBe(results.length)
}

async function expectNothingBilling(w: World): Promise<void> {
  await drive(w.clock, w.burst.shutdown())
  expect(w.cloud.billing().map((p) => p.id)).toEqual([])
}

const lifecycle: Array<[string, (p: FakePod, w: World) => boolean, (w: World) => (p: FakePod) => Promise<void> | void]> = [
  ['PROVISIONING', (p, w) => w.cloud.status(p) === 'PROVISIONING', preempt],
  ['STARTING', (p, w) => w.cloud.status(p) === 'STARTING', preempt],
  ['RUNNING but the worker still warming up', (p, w) => w.cloud.status(p) === 'RUNNING' && !w.cloud.workerUp(p), preempt],
  ['busy with an image in flight (preempted)', (p, w) => w.cloud.workerUp(p) && p.worker.submitted > p.worker.views && p.worker.views >= 1, preempt],
  ['busy with an image in flight (worker process died)', (p, w) => w.cloud.workerUp(p) && p.worker.submitted > p.worker.views && p.worker.views >= 1, () => workerDies],
  ['busy with an image in flight (terminated from the console)', (p, w) => w.cloud.workerUp(p) && p.worker.submitted > p.worker.views && p.worker.views >= 1, terminatedElsewhere],
]

describe('a pod lost at every point of its life', () => {
  for (const [state, reached, how] of lifecycle) {
    it(`lost while ${state}: the batch completes, every image exactly once, nothing left billing`, async () => {
      const w = await world()
      const lostId = loseWhen(w, (p) => reached(p, w), how(w))
      const results = await batch(w, 24, 5_000, lostId)
      expectEveryImageOnce(w, results, 5_000)
      const pod = w.cloud.pods.get(await lostId)!
      // What the lost pod finished was delivered from it, and only that (a pod rented after the cooldown may take the rest).
      expect(results.filter((r) => r.provider === podProvider(pod.id)).length).toBe(w.log.at(`pod:${pod.id}`))
      expect(results.some((r) => r.engine !== 'pod')).toBe(true)
      expect(w.events.of('route_decision')).toHaveLength(24)
      // The app keeps going: another image after the loss is drawn too.
      const after = await batch(w, 1, 9_000)
      expect(pngLabel(after[0].bytes)).toBe('seed:9000')
      await expectNothingBilling(w)
    })
  }

  it('lost while ready and idle between batches: the next batch never waits on the dead pod', async () => {
    const w = await world()
    expectEveryImageOnce(w, await batch(w, 24, 1_000), 1_000)
    const pod = firstPod(w)!
    expect(w.cloud.workerUp(pod)).toBe(true)
    expect(pod.worker.submitted).toBe(pod.worker.views)
    w.cloud.preempt(pod.id)
    const second = await batch(w, 12, 2_000)
    second.forEach((r, i) => expect(pngLabel(r.bytes)).toBe(`seed:${2_000 + i}`))
    for (const [seed, n] of w.log.countBySeed()) expect(n, `seed ${seed}`).toBe(1)
    expect(w.log.at(`pod:${pod.id}`)).toBe(pod.worker.views)
    expect(w.events.of('pod_terminated').map((e) => e.podId)).toContain(pod.id)
    await expectNothingBilling(w)
  })
})

describe('a pod ends while the books cannot be written', () => {
  it('an idle pod is still terminated and the process survives when recording its bill fails (a full disk)', async () => {
    const rejections: unknown[] = []
    const onRejection = (reason: unknown) => rejections.push(reason)
    process.on('unhandledRejection', onRejection)
    try {
      const w = await world({ onBilled: () => { throw Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }) } })
      expectEveryImageOnce(w, await batch(w, 24, 3_000), 3_000)
      const pod = firstPod(w)!
      // The idle timer ends the pod on its own, outside any caller that could catch a failure.
      await drive(w.clock, until(() => w.cloud.billing().length === 0), { limitMs: 3_600_000 })
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
      expect(w.cloud.pods.get(pod.id)!.terminatedAt).not.toBeNull()
      expect(w.events.of('pod_terminated').map((e) => e.podId)).toContain(pod.id)
      expect(w.events.of('error').some((e) => /bill|cost/i.test(e.message))).toBe(true)
      expect(rejections).toEqual([])
    } finally {
      process.off('unhandledRejection', onRejection)
    }
  })
})
