import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { KitsumyError } from '../../src/contract/errors.ts'
import type { StudioEvent } from '../../src/contract/events.ts'
import { ManualClock } from '../../src/platform/clock.ts'
import { seededRandom } from '../../src/platform/random.ts'
import { JobQueue } from '../../src/queue/job-queue.ts'
import type { ClaimedJob } from '../../src/queue/job-queue.ts'
import { Worker } from '../../src/queue/worker.ts'
import type { HandlerContext } from '../../src/queue/worker.ts'
import { migrate as migrateQueue, QUEUE_PRAGMAS } from '../../src/queue/schema.ts'
import { FALLBACK_PRICES } from '../../src/cloud/prices.ts'
import type { CloudPrices } from '../../src/cloud/prices.ts'
import type { ImageRequest } from '../../src/contract/image.ts'
import type { ImageEngine } from '../../src/art/engine.ts'
import { JobPoll, RunPace } from '../../src/art/poll-pace.ts'
import { DemandMeter } from '../../src/cloud/demand.ts'
import { Dispatcher, podProvider } from '../../src/cloud/dispatcher.ts'
import { PodManager } from '../../src/cloud/pod-manager.ts'
import type { RouteDecision, RouteInput } from '../../src/cloud/router.ts'
import { RunpodRestClient } from '../../src/cloud/runpod-rest.ts'
import { imagesInFlight, parseCloudSettings } from '../../src/cloud/settings.ts'
import type { CloudSettings, CloudSettingsInput } from '../../src/cloud/settings.ts'
import { CostLedger } from '../../src/costs/ledger.ts'
import { priceSheet } from '../../src/costs/price-catalog.ts'
import type { PriceSheet } from '../../src/costs/price-catalog.ts'
import { HttpInFlight, runUntil } from './drive.ts'
import { startPodWorkerServer } from './pod-worker-server.ts'
import { SimPodCloud, SimReplicate, SimServerless } from './providers.ts'
import type { SimHandle, SimTask } from './providers.ts'
import { SCENARIO } from './scenario.ts'
import type { Level } from './scenario.ts'
import { dayBefore, streamFor } from './trace.ts'
import type { Trace } from './trace.ts'

// The full simulator: the real JobQueue and Worker, the real Dispatcher and router, and the real PodManager
// (renting, booting, health checks over loopback HTTP, idle shutdown, loss detection) on a ManualClock,
// against simulated providers. Every charge goes through the real CostLedger in the same SQLite database.

export type StudioPolicy = 'replicate' | 'serverless' | 'fixed_rule' | 'kitsumy'

export interface StudioSimOptions {
  trace: Trace
  policy: StudioPolicy
  level: Level
  interruptible?: boolean
  // ':memory:' (default) or a file; the queue is the real JobQueue either way.
  dbFile?: string
  // Stop after this much simulated time past the last arrival (a safety net, not a result).
  drainLimitHours?: number
  // Extra cloud settings for the pod policies.
  cloud?: CloudSettingsInput
  // A new library, with nothing asked for before the day. By default the library holds the day before
  // (trace.ts dayBefore), as it would for a studio this busy every day, and the studio starts from its last
  // twelve hours the way it does on every start.
  firstDay?: boolean
  onEvent?: (event: StudioEvent, at: number) => void
}

export interface ComicOutcome {
  id: string
  arrival: number
  firstPanelSeconds: number | null
  finishSeconds: number | null
  images: number
}

export interface StudioSimResult {
  policy: StudioPolicy
  level: Level
  rate: number
  seed: number
  interruptible: boolean
  comics: ComicOutcome[]
  imagesLost: number
  // What the providers billed (the truth) and what the ledger recorded from the app's side.
  invoiceUsd: number
  ledgerUsd: number
  ledgerRowsUsd: number
  byProvider: { provider: string; usd: number; images: number }[]
  pods: { created: number; preempted: number; maxAlive: number; lostJobs: number }
  steps: number
  wallMs: number
}

const START = Date.UTC(2026, 10, 2)
export const LEASE_MS = 600_000
const WORKER_TOKEN = 'sim-worker-token-0123456789'

// When ServerlessEngine's poll (waitForJob with its JobPoll) first finds a job ended: its /run answer says
// queued, and each status after it says queued, running (with delayTime) or done.
export function heardAt(j: { sentAt: number; startedAt: number; endedAt: number; runMs: number; pollMs: number; briskMs: number }): number {
  const poll = new JobPoll(j)
  let t = j.sentAt
  let wait = poll.next(t, { running: false })
  for (;;) {
    t += wait
    if (t >= j.endedAt) return t
    wait = poll.next(t, t >= j.startedAt ? { running: true, delayMs: j.startedAt - j.sentAt } : { running: false })
  }
}

export function scenarioPrices(): CloudPrices {
  return {
    ...FALLBACK_PRICES,
    podPerHour: SCENARIO.pod.usdPerHour,
    serverlessPerSecond: SCENARIO.serverless.usdPerSecond,
    replicatePerImage: SCENARIO.replicate.usdPerImage,
  }
}

// Settings of the app as the scenario's user would have them: one A40 type, up to 8 pods, and the
// providers' known timings as the router's estimates; everything else as shipped.
export function scenarioCloudSettings(policy: StudioPolicy, interruptible: boolean, extra: CloudSettingsInput = {}): CloudSettings {
  // The fixed rule shuts a pod after 5 idle minutes.
  const perPolicy = policy === 'fixed_rule' ? { idleMinutes: SCENARIO.fixedRule.idleSeconds / 60 } : {}
  return parseCloudSettings({
    ...extra,
    pods: {
      gpuTypes: ['NVIDIA A40'],
      maxPods: SCENARIO.pod.maxPods,
      capacityClass: interruptible ? 'interruptible' : 'on-demand',
      ...perPolicy,
      ...extra.pods,
    },
    estimates: {
      podBootSeconds: (SCENARIO.pod.bootSeconds.min + SCENARIO.pod.bootSeconds.max) / 2,
      podSecondsPerImage: SCENARIO.pod.secondsPerImage,
      serverlessSecondsPerImage: SCENARIO.serverless.secondsPerImage,
      ...extra.estimates,
    },
    hosted: { imagesInFlight: SCENARIO.serverless.maxWorkers, ...extra.hosted },
    // Status is polled every 5 s as shipped (it is what catches a preemption); the worker's own health
    // check is spaced out to keep loopback HTTP off the critical path of a simulated day.
    poll: { workerHealthSeconds: 120, ...extra.poll },
  })
}

// The fixed rule: a comic of more than 20 images boots a pod and waits for it.
export const fixedRule = (input: RouteInput): RouteDecision => ({
  // One pod per comic's worth of waiting images; a pod goes only after its idle time, never for being surplus.
  engine: 'pod', startPod: true, keepAliveSeconds: input.idleSeconds,
  pods: Math.max(Math.ceil(input.remaining / SCENARIO.imagesPerComic), input.fleet.serving + input.fleet.booting), reason: 'fixed rule: > 20 images, boot a pod and wait', breakEven: SCENARIO.fixedRule.minImages, late: false,
})

interface PanelPayload { comicId: string; index: number }
const seedOf = (p: PanelPayload) => Number(p.comicId.slice(1)) * 1000 + p.index
interface ComicPayload { comicId: string; images: number }

// The simulated providers carry no pictures; the dispatcher only needs a request's size, and its seed names the panel.
const REQUEST: Omit<ImageRequest, 'seed'> = {
  prompt: 'a simulated panel', negative: '', width: 1024, height: 1024, styleId: 'classic-noir', references: [],
  subject: { shot: 'medium', scene: 'nowhere', characters: [] },
}
const NO_PIXELS = new Uint8Array(0)

export async function simulateStudio(opts: StudioSimOptions): Promise<StudioSimResult> {
  const wall = performance.now()
  const { trace, policy, level } = opts
  const interruptible = opts.interruptible ?? false
  const urgent = level === 'urgent'
  const clock = new ManualClock(START)
  const db = new Database(opts.dbFile ?? ':memory:')
  for (const pragma of QUEUE_PRAGMAS) db.pragma(pragma)
  migrateQueue(db)

  const usesPods = policy === 'fixed_rule' || policy === 'kitsumy'
  const settings = scenarioCloudSettings(policy, interruptible, opts.cloud)
  const prices = scenarioPrices()
  const sheet: PriceSheet = priceSheet(prices, settings, null, null)
  const ledger = new CostLedger({ db, clock, timeZone: 'UTC' })

  let idleSeq = 0
  const serverless = new SimServerless(clock, streamFor(trace, 'serverless'), (seconds, tag) => {
    ledger.charge({ key: `serverless-idle:${++idleSeq}`, provider: 'serverless', kind: 'idle', comicId: tag, quantity: seconds, unit: 'second', price: sheet.serverless, note: 'worker idle tail' })
  })
  const replicate = new SimReplicate(clock)
  const cloud = new SimPodCloud(clock, { boot: streamFor(trace, 'pod-boot'), preempt: streamFor(trace, 'pod-preempt') }, { interruptible })

  const http = new HttpInFlight()
  const podServer = usesPods ? await startPodWorkerServer(cloud, WORKER_TOKEN) : null
  const emit = (event: StudioEvent) => {
    if (event.type === 'pod_booting') ledger.podOpened({ podId: event.podId, price: sheet.pod })
    opts.onEvent?.(event, clock.now())
  }
  const pods = podServer
    ? new PodManager({
      settings: parseCloudSettings({ ...settings, urls: { ...settings.urls, podProxy: podServer.proxyTemplate, runpodRest: podServer.restUrl } }),
      backend: cloud.backend(),
      rest: new RunpodRestClient({ baseUrl: podServer.restUrl, apiKey: 'sim-runpod-key', clock, requestTimeoutMs: 10_000 }),
      clock,
      installId: 'economics_sim',
      workerToken: WORKER_TOKEN,
      emit,
      onBilled: (bill) => { ledger.podClosed({ podId: bill.podId, seconds: bill.seconds }) },
    })
    : null


  // No crash is simulated, so leases are long: renewing 21 of them every 10 s would be most of the queue's work.
  const queue = new JobQueue(db, { clock, random: seededRandom(trace.seed), leaseMs: LEASE_MS })
  const liveStmt = db.prepare<[], number>("SELECT count(*) FROM queue_jobs WHERE state IN ('queued','delayed','active','waiting')").pluck()
  const lostStmt = db.prepare<[], number>("SELECT count(*) FROM queue_jobs WHERE kind = 'panel' AND state <> 'completed'").pluck()

  const comics = new Map<string, ComicOutcome & { done: number; drawing: number }>()
  let open = 0
  // Each image's request carries a unique seed: the panel it draws, and the seconds its provider ran.
  const panels = new Map<number, { comicId: string; panelId: string; jobKey: string; attempt: number }>()
  const ranSeconds = new Map<number, number>()

  const onProvider = (submit: (task: SimTask) => SimHandle, seed: number, signal: AbortSignal, onPartial: (seconds: number) => void): Promise<number> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new KitsumyError('cancelled', 'cancelled'))
      const onAbort = () => {
        onPartial(handle.cancel())
        reject(new KitsumyError('cancelled', 'cancelled'))
      }
      const handle = submit({
        tag: panels.get(seed)!.comicId,
        onDone: (seconds) => { signal.removeEventListener('abort', onAbort); ranSeconds.set(seed, seconds); resolve(seconds) },
        onFail: (err, seconds) => { signal.removeEventListener('abort', onAbort); onPartial(seconds); reject(err) },
      })
      signal.addEventListener('abort', onAbort, { once: true })
    })

  // A serverless run that ends without an image is still billed for the seconds it ran; Replicate bills only
  // delivered images, and a pod's time is on the pod's bill.
  let failedRuns = 0
  const billFailedRun = (seed: number) => (seconds: number) => {
    if (seconds <= 0) return
    const p = panels.get(seed)!
    ledger.charge({ key: `failed:${p.jobKey}:${p.attempt}:${++failedRuns}`, provider: 'serverless', kind: 'failed_attempt', comicId: p.comicId, panelId: p.panelId, quantity: seconds, unit: 'second', price: sheet.serverless })
  }
  const unbilled = () => undefined
  const simEngine = (id: 'serverless' | 'replicate', submit: (task: SimTask) => SimHandle, perImage: (seconds: number) => number, onFailedRun: (seed: number) => (seconds: number) => void): ImageEngine => ({
    id,
    generate: async (request, { signal }) => {
      const seconds = await onProvider(submit, request.seed, signal, onFailedRun(request.seed))
      return { bytes: NO_PIXELS, mime: 'image/png', costUsd: perImage(seconds), provider: id }
    },
  })
  // The real ServerlessEngine hears that a job ended on its poll schedule, not at once, and a worker with a next
  // image bills the wait: the same schedule walked in simulated time, the same pace learned.
  const pace = new RunPace(settings.estimates.serverlessSecondsPerImage * 1000)
  const submitServerless = (task: SimTask): SimHandle => {
    const sentAt = clock.now()
    const runMs = pace.expectedMs
    let startedAt = sentAt
    let heard: unknown = null
    const hear = (then: () => void) => {
      heard = clock.setTimeout(then, heardAt({ sentAt, startedAt, endedAt: clock.now(), runMs, pollMs: settings.poll.jobSeconds * 1000, briskMs: settings.poll.briskSeconds * 1000 }) - clock.now())
    }
    const handle = serverless.submit({
      ...task,
      onStart: () => {
        startedAt = clock.now()
        task.onStart?.()
      },
      // As the engine, it learns the pace from a job it heard finish, not from one that failed.
      onDone: (seconds) => hear(() => {
        pace.observe(seconds * 1000)
        task.onDone(seconds)
      }),
      onFail: (err, seconds) => hear(() => task.onFail(err, seconds)),
    })
    return {
      cancel: () => {
        if (heard !== null) clock.clearTimeout(heard)
        return handle.cancel()
      },
    }
  }
  const engines = {
    serverless: simEngine('serverless', submitServerless, (seconds) => seconds * prices.serverlessPerSecond, billFailedRun),
    replicate: simEngine('replicate', (t) => replicate.submit(t), () => prices.replicatePerImage, () => unbilled),
  }
  // What CloudEngines.rememberDemand hands the meter from JobQueue.askedSince: when each panel of the last
  // twelve hours was asked for (a comic's panels at its arrival).
  const demand = new DemandMeter(clock)
  if (!opts.firstDay) {
    const before = dayBefore(trace)
    demand.remember(before.arrivals.flatMap((at) => Array<number>(before.images).fill(START + (at - SCENARIO.dayHours * 3600) * 1000)))
  }
  // The real Dispatcher, with the pod's ComfyUI simulated instead of reached over HTTP.
  const dispatcher = new Dispatcher({
    settings,
    demand,
    engines: policy === 'replicate' ? { replicate: engines.replicate } : { serverless: engines.serverless, ...(usesPods ? { replicate: engines.replicate } : {}) },
    pods,
    workflowFor: () => ({}),
    prices: () => prices,
    emit,
    clock,
    route: policy === 'fixed_rule' ? fixedRule : undefined,
    onPodLine: () => worker.wake(),
    podEngine: (lease) => ({
      id: 'pod',
      generate: async (request, { signal }) => {
        await onProvider((t) => cloud.run(lease.podId, t), request.seed, signal, unbilled)
        return { bytes: NO_PIXELS, mime: 'image/png', costUsd: 0, provider: podProvider(lease.podId) }
      },
    }),
  })

  const handlers = {
    comic: async (job: ClaimedJob) => {
      const p = job.payload as ComicPayload
      queue.enqueueMany(Array.from({ length: p.images }, (_, index) => ({
        kind: 'panel',
        payload: { comicId: p.comicId, index } satisfies PanelPayload,
        key: `${p.comicId}:panel:${index}`,
        parentId: job.id,
        comicId: p.comicId,
        // The studio draws each comic's first panel ahead of the line, so nobody stares at an empty page.
        priority: job.priority - 2 + (index === 0 ? 1 : 0),
      })))
      return { panels: p.images }
    },
    panel: async (job: ClaimedJob, ctx: HandlerContext) => {
      const p = job.payload as PanelPayload
      const panelId = `${p.comicId}-p${p.index}`
      const c = comics.get(p.comicId)!
      const seed = seedOf(p)
      panels.set(seed, { comicId: p.comicId, panelId, jobKey: job.key!, attempt: job.attempts })
      // As the studio asks it: images still queued anywhere, and whether nothing of this comic is drawn or drawing.
      c.drawing++
      let drawn
      try {
        drawn = await dispatcher.generate({ ...REQUEST, seed }, {
          signal: ctx.signal, comicId: p.comicId, urgent, remaining: queue.queuedCount('panel') + 1, firstOfComic: c.done === 0 && c.drawing === 1, askedAt: queue.askedAt(job),
          comicWaiting: c.images - c.done - c.drawing + 1,
        })
      } finally {
        c.drawing--
      }
      const seconds = ranSeconds.get(seed)!
      ctx.onComplete(() => {
        const now = clock.now()
        if (drawn.engine === 'pod') {
          ledger.podServed({ key: `served:${job.key}`, podId: drawn.provider.slice(podProvider('').length), comicId: p.comicId, panelId, seconds })
        } else if (drawn.engine === 'serverless') {
          ledger.charge({ key: `image:${job.key}`, provider: 'serverless', kind: 'image', comicId: p.comicId, panelId, quantity: seconds, unit: 'second', price: sheet.serverless })
        } else {
          ledger.charge({ key: `image:${job.key}`, provider: 'replicate', kind: 'image', comicId: p.comicId, panelId, quantity: 1, unit: 'image', price: sheet.replicate })
        }
        panels.delete(seed)
        ranSeconds.delete(seed)
        c.done++
        c.firstPanelSeconds ??= (now - c.arrival) / 1000
        if (c.done === c.images) {
          c.finishSeconds = (now - c.arrival) / 1000
          open--
        }
      })
      return { engine: drawn.engine }
    },
  }
  // The pod policies take the studio's own limit (every pod slot and the serverless workers).
  const concurrency = policy === 'replicate' ? SCENARIO.replicate.concurrency
    : policy === 'serverless' ? SCENARIO.serverless.maxWorkers
      : () => {
        const fleet = pods?.status()
        return imagesInFlight(settings, fleet ? fleet.serving + fleet.booting : 0, dispatcher.podLine())
      }
  // The queue's own bookkeeping failing is a broken run, not a result: let it stop the simulation.
  const worker = new Worker(queue, handlers, { concurrency, clock, onError: (e) => { throw e } })
  worker.start()

  let arrived = 0
  const arrive = () => {
    const i = arrived++
    const comicId = `c${i}`
    comics.set(comicId, { id: comicId, arrival: clock.now(), firstPanelSeconds: null, finishSeconds: null, images: trace.images, done: 0, drawing: 0 })
    open++
    // The comic's own job (its script) goes ahead of other comics' panels, which sit two levels below it.
    queue.enqueue({ kind: 'comic', payload: { comicId, images: trace.images } satisfies ComicPayload, comicId, priority: urgent ? 12 : 2 })
    if (arrived < trace.arrivals.length) clock.setTimeout(arrive, START + trace.arrivals[arrived] * 1000 - clock.now())
  }
  if (trace.arrivals.length > 0) clock.setTimeout(arrive, trace.arrivals[0] * 1000)

  let checks = 0
  const done = () => {
    if (arrived < trace.arrivals.length) return false
    if (cloud.aliveCount > 0 || serverless.workerCount > 0) return false
    // Images that failed for good never complete: once nothing is live, the day is over.
    return open === 0 || (++checks % 200 === 0 && liveStmt.get() === 0)
  }
  const lastArrival = trace.arrivals.at(-1) ?? 0
  const limit = START + (lastArrival + (opts.drainLimitHours ?? 12) * 3600) * 1000
  let steps: number
  try {
    steps = await runUntil(clock, http, done, limit)
    await worker.drain(0)
    dispatcher.close()
    await pods?.shutdown()
  } finally {
    http.dispose()
    await podServer?.close()
  }

  // Images never delivered: panels that failed for good, and panels of comics that never finished.
  const imagesLost = Math.max(lostStmt.get()!, [...comics.values()].reduce((a, c) => a + (c.images - c.done), 0))
  const rows = ledger.charges()
  const result: StudioSimResult = {
    policy, level, rate: trace.rate, seed: trace.seed, interruptible,
    comics: [...comics.values()].map(({ done: _done, drawing: _drawing, ...c }) => c),
    imagesLost,
    invoiceUsd: serverless.usd + replicate.usd + cloud.usd,
    ledgerUsd: ledger.totalUsd(),
    ledgerRowsUsd: rows.reduce((a, r) => a + r.amountUsd, 0),
    byProvider: ledger.byProvider(),
    pods: { created: cloud.stats.created, preempted: cloud.stats.preempted, maxAlive: cloud.stats.maxAlive, lostJobs: cloud.stats.lostJobs },
    steps,
    wallMs: performance.now() - wall,
  }
  db.close()
  return result
}
