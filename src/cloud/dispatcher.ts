import type { EngineId, ImageRequest } from '../contract/index.ts'
import { KitsumyError } from '../contract/errors.ts'
import type { StudioEvent } from '../contract/events.ts'
import type { ImageEngine, ImageResult } from '../art/engine.ts'
import { ComfyEngine } from '../art/comfy-client.ts'
import type { WorkflowFor } from '../art/comfy-client.ts'
import type { Clock } from '../platform/clock.ts'
import { DemandMeter } from './demand.ts'
import { LateAllowance } from './late-allowance.ts'
import type { FleetStatus, LinePlace, PodLease, PodManager, PodNotice } from './pod-manager.ts'
import type { CloudPrices } from './prices.ts'
import { hostedOptions, LATE_LIMIT_SECONDS, LATE_WAIT_SECONDS, route } from './router.ts'
import type { RouteDecision, RouteInput } from './router.ts'
import type { CloudSettings } from './settings.ts'

export interface DispatchOptions {
  signal: AbortSignal
  comicId: string | null
  urgent: boolean
  // Images waiting for an engine across the studio (not yet started anywhere), this one included.
  remaining: number
  // The first panel of its comic to be drawn.
  firstOfComic: boolean
  // Images of this comic not yet sent to an engine or a pod line, this one included.
  comicWaiting?: number
  // When the image was first asked for (ms), with its comic if it is part of one (JobQueue.askedAt); its deadline counts from then.
  askedAt?: number
  resumable?: boolean
  onProgress?: (fraction: number) => void
  // The image starts on an engine now: at once, or on a pod once it holds a slot, not while it waits in line.
  // May be called again when the image moves to another engine.
  onStart?: () => void
  // The image waits in the pod line: every slot is taken or no pod is up yet.
  onWaiting?: () => void
}

export interface DispatchResult extends ImageResult {
  engine: EngineId
}

export type PerImageEngines = Partial<Record<Exclude<EngineId, 'pod'>, ImageEngine>>

export interface DispatcherOptions {
  settings: CloudSettings
  // Engines the user has keys or a URL for; the pod engine comes from the pod manager.
  engines: PerImageEngines
  pods: PodManager | null
  workflowFor: WorkflowFor
  prices: () => CloudPrices
  budgetLeftUsd?: () => number | null
  emit: (event: StudioEvent) => void
  clock: Clock
  // How a pod lease draws; by default ComfyUI on the pod, reached through its proxy URL.
  podEngine?: (lease: PodLease) => ImageEngine
  // The routing policy; `route` unless a simulation compares another rule through the same dispatcher.
  route?: (input: RouteInput) => RouteDecision
  // Recent demand; pass one that outlives this dispatcher so a rebuilt cloud setup remembers it.
  demand?: DemandMeter
  // An image joined the pod line: it holds no engine, so the caller may hand over the next one (imagesInFlight).
  onPodLine?: () => void
}

// The provider name of a pod's images: the ledger shares the pod's time among them by it.
export const podProvider = (podId: string) => `runpod-pod:${podId}`

const megapixelsOf = (r: ImageRequest) => (r.width * r.height) / 1_000_000

const NO_FLEET: FleetStatus = { serving: 0, freeSlots: 0, leased: 0, booting: 0, bootEtaSeconds: null, canRent: false, lostRecently: false, disabledReason: null }

// One image in, one image out: asks the router, runs on the chosen engine, and moves work off a pod the moment it is lost.
export class Dispatcher {
  private readonly opts: DispatcherOptions
  private readonly announced = new Set<string>()
  private readonly unsubscribe: () => void
  private readonly demand: DemandMeter
  private readonly late: LateAllowance
  // Images routed to a pod and waiting for a slot (still waiting, so part of the backlog the router weighs), by
  // their place in the line: first panels ahead of the others, images of comics let run late behind them.
  private readonly waitingAt: Record<LinePlace, number> = { first: 0, normal: 0, late: 0 }
  // Work is off the pods since the last announcement; the next lease on a pod ends that.
  private fellBack = false
  // What the last urgent image asked of the fleet, kept for its keep-alive: relaxed images routed in between
  // must not shrink the fleet or cut the keep-alive that urgent work relies on.
  private urgentAsked: { until: number; pods: number; keepAliveSeconds: number } | null = null

  constructor(opts: DispatcherOptions) {
    this.opts = opts
    this.demand = opts.demand ?? new DemandMeter(opts.clock)
    this.late = new LateAllowance(opts.settings.pods.urgentLateShare)
    this.unsubscribe = opts.pods?.onNotice((n) => this.onPodNotice(n)) ?? (() => undefined)
  }

  // Images waiting in line for a pod slot.
  podLine(): number {
    return this.waitingAt.first + this.waitingAt.normal + this.waitingAt.late
  }

  close(): void {
    this.unsubscribe()
  }

  async generate(request: ImageRequest, options: DispatchOptions): Promise<DispatchResult> {
    this.demand.record(1)
    if (options.urgent && options.comicId !== null) this.late.see(options.comicId)
    const backlog = options.remaining + this.podLine()
    const decision = (this.opts.route ?? route)(this.routeInput(request, options, backlog))
    this.opts.emit({ type: 'route_decision', comicId: options.comicId, engine: decision.engine, reason: decision.reason })
    this.planFleet(decision, options.urgent)
    if (decision.startPod) this.opts.pods?.ensure(decision.pods)
    if (decision.engine === 'pod' && this.opts.pods) {
      const late = decision.late && options.comicId !== null && this.late.letRunLate(options.comicId)
      return this.onPod(this.opts.pods, request, options, options.firstOfComic ? 'first' : late ? 'late' : 'normal')
    }
    return this.runOn(decision.engine, request, options)
  }

  private planFleet(decision: RouteDecision, urgent: boolean): void {
    const now = this.opts.clock.now()
    if (urgent) this.urgentAsked = { until: now + decision.keepAliveSeconds * 1000, pods: decision.pods, keepAliveSeconds: decision.keepAliveSeconds }
    const held = this.urgentAsked !== null && now < this.urgentAsked.until ? this.urgentAsked : null
    this.opts.pods?.plan(Math.max(decision.pods, held?.pods ?? 0), Math.max(decision.keepAliveSeconds, held?.keepAliveSeconds ?? 0))
  }

  private routeInput(request: ImageRequest, options: DispatchOptions, backlog: number): RouteInput {
    const { settings, engines, pods } = this.opts
    const fleet = pods?.status() ?? NO_FLEET
    return {
      remaining: backlog,
      podLine: options.firstOfComic ? this.waitingAt.first : this.waitingAt.first + this.waitingAt.normal,
      lateLine: this.waitingAt.late,
      comicWaiting: options.comicWaiting ?? 1,
      lateAllowed: options.urgent && options.comicId !== null && this.late.mayRunLate(options.comicId),
      lateRunning: options.comicId !== null && this.late.runsLate(options.comicId),
      urgent: options.urgent,
      firstOfComic: options.firstOfComic,
      waitedSeconds: Math.max(0, (this.opts.clock.now() - (options.askedAt ?? this.opts.clock.now())) / 1000),
      demandImagesPerHour: this.demand.perHour(),
      budgetLeftUsd: this.opts.budgetLeftUsd?.() ?? null,
      providers: {
        pod: pods !== null && settings.pods.enabled && fleet.disabledReason === null,
        serverless: engines.serverless !== undefined,
        runpodFlux: engines['runpod-flux'] !== undefined,
        replicate: engines.replicate !== undefined,
        local: engines['comfy-local'] !== undefined,
      },
      fleet,
      prices: this.opts.prices(),
      estimates: settings.estimates,
      idleSeconds: settings.pods.idleMinutes * 60,
      megapixels: megapixelsOf(request),
    }
  }

  private async onPod(pods: PodManager, request: ImageRequest, options: DispatchOptions, place: LinePlace): Promise<DispatchResult> {
    let lease: PodLease | null
    this.waitingAt[place]++
    this.opts.onPodLine?.()
    // An image of a comic let run late leaves the line for serverless once waiting longer would miss the relaxed deadline.
    const leave = new AbortController()
    const { clock } = this.opts
    const timer = place === 'late' ? clock.setTimeout(() => leave.abort(), (options.askedAt ?? clock.now()) + LATE_WAIT_SECONDS * 1000 - clock.now()) : null
    try {
      lease = await pods.acquire(AbortSignal.any([options.signal, leave.signal]), place, options.onWaiting)
    } catch (err) {
      if (!leave.signal.aborted || options.signal.aborted) throw err
      const to = this.fallbackEngine(megapixelsOf(request))
      this.opts.emit({ type: 'route_decision', comicId: options.comicId, engine: to, reason: `no pod was free in time for a comic running late: ${to} takes it, to finish within ${LATE_LIMIT_SECONDS / 60} minutes` })
      return this.runOn(to, request, options)
    } finally {
      if (timer !== null) clock.clearTimeout(timer)
      this.waitingAt[place]--
    }
    if (!lease) {
      const to = this.fallbackEngine(megapixelsOf(request))
      this.announce(null, to, 'no pod is available')
      return this.runOn(to, request, options)
    }
    this.fellBack = false
    let result: ImageResult
    try {
      options.onStart?.()
      result = await this.onLease(lease, request, options)
    } catch (err) {
      lease.release()
      if (options.signal.aborted) throw new KitsumyError('cancelled', 'cancelled', { cause: err })
      pods.reportFailure(lease.podId)
      const to = this.fallbackEngine(megapixelsOf(request))
      const why = lease.signal.aborted ? lease.signal.reason : err
      this.announce(lease.podId, to, why instanceof Error ? why.message : `pod ${lease.podId}: ${String(why)}`)
      return this.runOn(to, request, options)
    }
    lease.release()
    return { ...result, engine: 'pod' }
  }

  private onLease(lease: PodLease, request: ImageRequest, options: DispatchOptions): Promise<ImageResult> {
    const engine = this.opts.podEngine?.(lease) ?? new ComfyEngine({ id: 'pod', client: lease.client, workflowFor: this.opts.workflowFor, provider: podProvider(lease.podId) })
    return engine.generate(request, { signal: AbortSignal.any([options.signal, lease.signal]), onProgress: options.onProgress })
  }

  private async runOn(engineId: EngineId, request: ImageRequest, options: DispatchOptions): Promise<DispatchResult> {
    const engine = engineId === 'pod' ? undefined : this.opts.engines[engineId]
    if (!engine) throw new KitsumyError('bad_input', `the ${engineId} engine is not configured`, { retryable: false })
    options.onStart?.()
    const result = await engine.generate(request, { signal: options.signal, onProgress: options.onProgress, resumable: options.resumable })
    return { ...result, engine: engineId }
  }

  // Where pod work goes: the cheapest per-image cloud engine, else the user's ComfyUI, else offline.
  private fallbackEngine(megapixels: number): EngineId {
    const { engines, settings } = this.opts
    const hosted = hostedOptions({
      providers: { pod: false, serverless: !!engines.serverless, runpodFlux: !!engines['runpod-flux'], replicate: !!engines.replicate, local: false },
      prices: this.opts.prices(),
      estimates: settings.estimates,
      megapixels,
    })
    if (hosted[0]) return hosted[0].engine
    return engines['comfy-local'] ? 'comfy-local' : 'offline'
  }

  private onPodNotice(notice: PodNotice): void {
    this.announce(notice.podId, this.fallbackEngine(1), notice.reason)
  }

  // Once per pod: the in-flight image that first noticed the loss and the manager's own notice say the same thing;
  // the images that were waiting for it ("no pod is available") are the same fallback too.
  private announce(podId: string | null, to: EngineId, reason: string): void {
    if (podId !== null) {
      if (this.announced.has(podId)) return
      this.announced.add(podId)
    } else if (this.fellBack) {
      return
    }
    this.fellBack = true
    this.opts.emit({ type: 'fallback_activated', from: 'pod', to, reason })
  }
}
