import type { PodInfo } from '../contract/api.ts'
import { KitsumyError } from '../contract/errors.ts'
import type { StudioEvent } from '../contract/events.ts'
import type { Clock } from '../platform/clock.ts'
import type { SessionOwner } from '../platform/session.ts'
import { ComfyClient } from '../art/comfy-client.ts'
import type { PodBackend } from './pod-backend.ts'
import type { RestPod, RunpodRestClient } from './runpod-rest.ts'
import type { CloudSettings } from './settings.ts'

// Each pod: offline → booting → ready ⇄ busy → preemption_warning → offline.
export type PodState = 'booting' | 'ready' | 'busy' | 'preemption_warning' | 'offline'

export interface PodLease {
  readonly podId: string
  readonly client: ComfyClient
  // Aborts when the pod is lost, so the image in flight moves elsewhere at once.
  readonly signal: AbortSignal
  release(): void
}

// What the dispatcher needs to hear to move work off pods.
export type PodNotice =
  | { kind: 'lost'; podId: string; reason: string }
  | { kind: 'boot_failed'; podId: string | null; reason: string }
  | { kind: 'no_capacity'; podId: null; reason: string }
  | { kind: 'disabled'; podId: null; reason: string }

export interface FleetStatus {
  // Pods ready or busy.
  serving: number
  freeSlots: number
  // Images held by serving pods (drawing, or queued on the pod's own ComfyUI).
  leased: number
  // Pods booting, including rentals still being requested.
  booting: number
  bootEtaSeconds: number | null
  // False while cooling down after a failure, when disabled, or at the pod limit.
  canRent: boolean
  lostRecently: boolean
  disabledReason: string | null
}

export interface PodBill {
  podId: string
  seconds: number
  usd: number
}

export interface PodManagerOptions {
  settings: CloudSettings
  backend: PodBackend
  // Lists the account's pods to find our orphans, and terminates any pod whatever API rented it.
  rest: RunpodRestClient
  clock: Clock
  // Tags every pod we rent (name and env), so a later run can find and reap it.
  installId: string
  // Our own token for the pod's public proxy URL; the worker template checks it.
  workerToken: string
  emit: (event: StudioEvent) => void
  onBilled?: (bill: PodBill) => void
  // A pod an earlier session left running was terminated: its bill is the ledger's to close (it knows when it began).
  onReaped?: (podId: string) => void
  // On start, the ids of this installation's pods RunPod still runs: any other pod an earlier session rented has
  // ended while the studio was closed.
  onListed?: (alive: string[]) => void
  // Tags the pods this studio rents, so another studio running on the same library does not reap them.
  session?: SessionOwner
}

export const POD_NAME_PREFIX = 'kitsumy-'
export const INSTALL_ENV = 'KITSUMY_INSTALL_ID'
export const TOKEN_ENV = 'KITSUMY_WORKER_TOKEN'
export const OWNER_ENV = 'KITSUMY_SESSION_OWNER'

interface PodRecord {
  id: string
  gpuTypeId: string
  state: PodState
  createdAt: number
  costPerHr: number
  client: ComfyClient
  leases: number
  abort: AbortController
  healthFailures: number
  nextStatusAt: number
  nextHealthAt: number
  checking: boolean
  timer: unknown
  idleTimer: unknown
  // When the idle timer ends the pod (ms); null while it works or boots.
  idleUntil: number | null
  ending: Promise<void> | null
}

// Where an image waits for a pod slot: a comic's first panel ahead of everything (someone is looking at an empty
// page), then images due by their deadline, then those of comics let run late (late-allowance.ts).
export type LinePlace = 'first' | 'normal' | 'late'
const LINE_ORDER: Record<LinePlace, number> = { first: 0, normal: 1, late: 2 }

interface Waiter {
  resolve: (lease: PodLease | null) => void
  reject: (err: unknown) => void
  signal: AbortSignal
  place: LinePlace
  onAbort: () => void
}

// What is kept of a pod being terminated; `reaped` when an earlier session rented it (its bill began then).
type Unterminated = Pick<PodRecord, 'id' | 'gpuTypeId' | 'costPerHr' | 'createdAt' | 'idleUntil'> & { reaped: boolean }

// A pod bills per second from create to terminate, boot and idle included.
function billOf(pod: Pick<PodRecord, 'id' | 'createdAt' | 'costPerHr'>, now: number): PodBill {
  const seconds = Math.max(0, now - pod.createdAt) / 1000
  return { podId: pod.id, seconds, usd: (seconds * pod.costPerHr) / 3600 }
}

// True when a pod was rented by this installation: by its env tag when RunPod returns env, else by its name.
export function isOurPod(pod: Pick<RestPod, 'name' | 'env'>, installId: string): boolean {
  const tagged = pod.env?.[INSTALL_ENV]
  if (tagged !== undefined) return tagged === installId
  const m = /^kitsumy-(.+)-([a-z0-9]+)$/.exec(pod.name)
  return m !== null && m[1] === installId
}

export class PodManager {
  private readonly opts: PodManagerOptions
  private readonly settings: CloudSettings
  private readonly clock: Clock
  private readonly pods = new Map<string, PodRecord>()
  private readonly waiters: Waiter[] = []
  private readonly listeners = new Set<(notice: PodNotice) => void>()
  private readonly rentals = new Set<Promise<void>>()
  // Pods whose termination failed: still billing, retried until RunPod confirms.
  private readonly unterminated = new Map<string, { pod: Unterminated; reason: string; timer: unknown }>()
  private cooldownUntil = 0
  private lostAt: number | null = null
  private disabledReason: string | null = null
  private measuredBootSeconds: number | null = null
  // How long an idle pod is kept: what the latest work asked for (its service level), at most the user's setting.
  private keepAliveMs: number
  // The fleet the latest work asked for: a pod beyond it ends as soon as it is idle instead of waiting out the keep-alive.
  private wanted = Infinity
  private stopped = false
  private seq = 0

  constructor(opts: PodManagerOptions) {
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(opts.installId)) throw new KitsumyError('bad_input', 'installId must be 4–64 letters, digits, _ or -')
    this.opts = opts
    this.settings = opts.settings
    this.clock = opts.clock
    this.keepAliveMs = opts.settings.pods.idleMinutes * 60_000
  }

  onNotice(listener: (notice: PodNotice) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  status(): FleetStatus {
    const now = this.clock.now()
    const all = [...this.pods.values()]
    const serving = all.filter((p) => p.state === 'ready' || p.state === 'busy')
    const booting = all.filter((p) => p.state === 'booting')
    const expected = this.measuredBootSeconds ?? this.settings.estimates.podBootSeconds
    const etas = booting.map((p) => Math.max(0, expected - (now - p.createdAt) / 1000))
    if (this.rentals.size > 0) etas.push(expected)
    return {
      serving: serving.length,
      freeSlots: serving.reduce((n, p) => n + Math.max(0, this.settings.pods.slotsPerPod - p.leases), 0),
      leased: serving.reduce((n, p) => n + p.leases, 0),
      booting: booting.length + this.rentals.size,
      bootEtaSeconds: etas.length ? Math.min(...etas) : null,
      canRent: this.canRent() && this.aliveCount() < this.settings.pods.maxPods,
      lostRecently: this.lostAt !== null && now - this.lostAt < this.settings.pods.retryAfterFailureSeconds * 1000,
      disabledReason: this.disabledReason,
    }
  }

  // Each pod alive or booting, with what it has billed so far: what the user sees running on their account.
  list(): PodInfo[] {
    const now = this.clock.now()
    const info = (p: Unterminated | PodRecord, state: PodInfo['state']): PodInfo => ({
      podId: p.id, gpu: p.gpuTypeId, state, since: p.createdAt, usdPerHour: p.costPerHr, billedUsd: billOf(p, now).usd, idleEndsAt: p.idleUntil,
    })
    const running = [...this.pods.values()].filter((p) => p.ending === null)
      .map((p) => info(p, p.state === 'busy' || p.leases > 0 ? 'busy' : p.state === 'ready' ? 'idle' : 'booting'))
    return [...running, ...[...this.unterminated.values()].map(({ pod }) => info(pod, 'ending'))]
  }

  // The user's "shut down now": every pod ends at once (images on them move to the per-image engines), and no
  // pod is rented again before the cooldown after a failure has passed.
  async stopAll(reason: string): Promise<{ stopped: number; pausedSeconds: number }> {
    const pausedSeconds = this.settings.pods.retryAfterFailureSeconds
    this.cooldownUntil = this.clock.now() + pausedSeconds * 1000
    await Promise.allSettled([...this.rentals])
    const pods = [...this.pods.values()].filter((p) => p.ending === null)
    await Promise.allSettled(pods.map((p) => this.end(p, reason)))
    return { stopped: pods.length, pausedSeconds }
  }

  podState(podId: string): PodState {
    return this.pods.get(podId)?.state ?? 'offline'
  }

  // What the work in hand wants kept: `pods` pods, each kept `keepAliveSeconds` once idle (at most the user's setting).
  plan(pods: number, keepAliveSeconds: number): void {
    this.wanted = pods
    this.keepAliveMs = Math.min(keepAliveSeconds * 1000, this.settings.pods.idleMinutes * 60_000)
  }

  // Grows the fleet (alive or booting) to `pods`, within maxPods; idle pods are what shrinks it.
  ensure(pods: number): void {
    if (!this.canRent()) return
    const wanted = Math.min(this.settings.pods.maxPods, pods)
    for (let have = this.aliveCount(); have < wanted; have++) {
      const rental: Promise<void> = this.rent().catch((err) => this.disable(err)).finally(() => {
        this.rentals.delete(rental)
        this.serveWaiters()
      })
      this.rentals.add(rental)
    }
  }

  tryAcquire(): PodLease | null {
    let best: PodRecord | null = null
    for (const p of this.pods.values()) {
      if ((p.state === 'ready' || p.state === 'busy') && p.leases < this.settings.pods.slotsPerPod && (!best || p.leases < best.leases)) best = p
    }
    if (!best) return null
    const pod = best
    pod.leases++
    pod.state = 'busy'
    this.clearIdle(pod)
    let released = false
    return {
      podId: pod.id,
      client: pod.client,
      signal: pod.abort.signal,
      release: () => {
        if (released) return
        released = true
        pod.leases--
        if (pod.state !== 'busy') return
        if (pod.leases === 0) {
          pod.state = 'ready'
          this.armIdle(pod)
        }
        this.serveWaiters()
      },
    }
  }

  // A slot on a ready pod, waiting while pods boot or are busy; null once no pod is alive or coming.
  // Each waiter goes behind those of its own place and those ahead of it (LINE_ORDER), in arrival order.
  // `onWait` hears when the caller joins the line (no slot free, a pod alive or coming).
  acquire(signal: AbortSignal, place: LinePlace = 'normal', onWait?: () => void): Promise<PodLease | null> {
    const lease = this.tryAcquire()
    if (lease) return Promise.resolve(lease)
    if (!this.anyAliveOrComing()) return Promise.resolve(null)
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        place,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter)
          if (i >= 0) this.waiters.splice(i, 1)
          reject(new KitsumyError('cancelled', 'cancelled while waiting for a pod'))
        },
      }
      if (signal.aborted) return waiter.onAbort()
      signal.addEventListener('abort', waiter.onAbort, { once: true })
      const behind = this.waiters.findIndex((w) => LINE_ORDER[w.place] > LINE_ORDER[place])
      this.waiters.splice(behind < 0 ? this.waiters.length : behind, 0, waiter)
      onWait?.()
    })
  }

  // The caller's image failed on this pod: look at the pod now instead of at the next poll.
  reportFailure(podId: string): void {
    const pod = this.pods.get(podId)
    if (!pod || (pod.state !== 'ready' && pod.state !== 'busy')) return
    pod.nextStatusAt = this.clock.now()
    pod.nextHealthAt = this.clock.now()
    if (!pod.checking) {
      this.clock.clearTimeout(pod.timer)
      void this.monitor(pod)
    }
  }

  // On start: terminate every pod an earlier run of this installation left billing (not those of another studio
  // still running on this library).
  async reapOrphans(): Promise<string[]> {
    const pods = await this.opts.rest.listPods()
    const ours = pods.filter((p) => isOurPod(p, this.opts.installId) && p.status !== 'TERMINATED')
    this.listed(ours.map((p) => p.id))
    const liveOwner = (p: RestPod) => {
      const owner = p.env?.[OWNER_ENV]
      return owner !== undefined && this.opts.session?.isAlive(owner) === true
    }
    const orphans = ours.filter((p) => !this.pods.has(p.id) && !liveOwner(p))
    const reaped: string[] = []
    for (const p of orphans) {
      const pod: Unterminated = { id: p.id, gpuTypeId: p.gpu?.id ?? 'GPU', costPerHr: p.cost ?? 0, createdAt: this.clock.now(), idleUntil: null, reaped: true }
      try {
        await this.opts.rest.terminatePod(p.id)
        reaped.push(p.id)
        this.terminated(pod, 'left running by an earlier session')
      } catch {
        this.retryTermination(pod, 'left running by an earlier session')
      }
    }
    return reaped
  }

  // On quit: nothing keeps billing.
  async shutdown(): Promise<void> {
    this.stopped = true
    for (const w of this.waiters.splice(0)) {
      w.signal.removeEventListener('abort', w.onAbort)
      w.resolve(null)
    }
    await Promise.allSettled([...this.rentals])
    await Promise.allSettled([...this.pods.values()].map((p) => this.end(p, 'app quit')))
    for (const [id, { pod, reason, timer }] of this.unterminated) {
      this.clock.clearTimeout(timer)
      await this.opts.rest.terminatePod(id).then(() => this.terminated(pod, reason), () => undefined)
    }
  }

  private canRent(): boolean {
    return !this.stopped && this.disabledReason === null && this.settings.pods.enabled && this.clock.now() >= this.cooldownUntil
  }

  private aliveCount(): number {
    let n = this.rentals.size
    for (const p of this.pods.values()) if (p.state === 'booting' || p.state === 'ready' || p.state === 'busy') n++
    return n
  }

  private anyAliveOrComing(): boolean {
    return !this.stopped && this.aliveCount() > 0
  }

  private notify(notice: PodNotice): void {
    for (const l of this.listeners) l(notice)
  }

  private disable(err: unknown): void {
    const e = err instanceof KitsumyError ? err : new KitsumyError('internal', 'renting a pod failed', { cause: err })
    this.disabledReason = e.message
    this.opts.emit({ type: 'error', comicId: null, code: e.code, message: e.message })
    this.notify({ kind: 'disabled', podId: null, reason: e.message })
  }

  private nonce(): string {
    return `${this.clock.now().toString(36)}${(this.seq++).toString(36)}`
  }

  private async rent(): Promise<void> {
    const p = this.settings.pods
    const skipped: string[] = []
    for (const gpuTypeId of p.gpuTypes) {
      if (this.stopped) return
      const name = `${POD_NAME_PREFIX}${this.opts.installId}-${this.nonce()}`
      let made: { id: string; costPerHr: number | null }
      try {
        made = await this.opts.backend.create({
          name,
          image: p.image,
          gpuTypeId,
          gpuCount: 1,
          ports: ['8188/http'],
          env: { [INSTALL_ENV]: this.opts.installId, [TOKEN_ENV]: this.opts.workerToken, ...(this.opts.session ? { [OWNER_ENV]: this.opts.session.owner } : {}) },
          cloud: p.cloud,
          diskGb: p.diskGb,
        })
      } catch (err) {
        if (err instanceof KitsumyError && (err.code === 'capacity' || err.code === 'unauthorized')) {
          skipped.push(gpuTypeId)
          continue
        }
        if (err instanceof KitsumyError && (err.code === 'no_balance' || err.code === 'auth' || err.code === 'bad_input')) throw err
        // Still failing after the client's own retries (5xx, 429, network): try again after the cooldown.
        this.cooldownUntil = this.clock.now() + p.retryAfterFailureSeconds * 1000
        this.notify({ kind: 'boot_failed', podId: null, reason: `could not rent a pod: ${err instanceof Error ? err.message : String(err)}` })
        return
      }
      this.adopt(made.id, gpuTypeId, made.costPerHr ?? 0)
      return
    }
    this.cooldownUntil = this.clock.now() + p.retryAfterFailureSeconds * 1000
    this.notify({ kind: 'no_capacity', podId: null, reason: `no capacity on any GPU type (${skipped.join(', ')})` })
  }

  private adopt(id: string, gpuTypeId: string, costPerHr: number): void {
    const now = this.clock.now()
    const s = this.settings
    const pod: PodRecord = {
      id,
      gpuTypeId,
      state: 'booting',
      createdAt: now,
      costPerHr,
      client: new ComfyClient({
        baseUrl: s.urls.podProxy.replaceAll('{podId}', id),
        token: this.opts.workerToken,
        clock: this.clock,
        pollMs: s.poll.jobSeconds * 1000,
        requestTimeoutMs: s.poll.requestTimeoutSeconds * 1000,
        maxWaitMs: s.poll.imageTimeoutSeconds * 1000,
        service: `pod ${id}`,
      }),
      leases: 0,
      abort: new AbortController(),
      healthFailures: 0,
      nextStatusAt: now,
      nextHealthAt: now,
      checking: false,
      timer: null,
      idleTimer: null,
      idleUntil: null,
      ending: null,
    }
    this.pods.set(id, pod)
    if (this.stopped) {
      void this.end(pod, 'app quit')
      return
    }
    this.opts.emit({ type: 'pod_booting', podId: id, etaSeconds: Math.round(this.measuredBootSeconds ?? s.estimates.podBootSeconds) })
    this.schedule(pod, 0, () => this.boot(pod))
  }

  private schedule(pod: PodRecord, ms: number, step: () => Promise<void>): void {
    this.clock.clearTimeout(pod.timer)
    pod.timer = this.clock.setTimeout(() => {
      pod.timer = null
      void step()
    }, ms)
  }

  // Running is not ready: the pod counts as ready only once its worker answers.
  private async boot(pod: PodRecord): Promise<void> {
    if (pod.state !== 'booting') return
    const s = this.settings
    if (this.clock.now() - pod.createdAt > s.pods.bootTimeoutSeconds * 1000) {
      return this.end(pod, `not ready after ${s.pods.bootTimeoutSeconds} s`, 'boot_failed')
    }
    let status: Awaited<ReturnType<PodBackend['status']>> | undefined
    try {
      status = await this.opts.backend.status(pod.id)
    } catch {
      status = undefined
    }
    if (pod.state !== 'booting') return
    if (status === null || status === 'EXITED' || status === 'ERROR' || status === 'TERMINATED') {
      return this.end(pod, `the pod ${status === null ? 'vanished' : status.toLowerCase()} while booting`, 'boot_failed')
    }
    if (status === 'RUNNING' && (await this.workerAnswers(pod))) {
      if (pod.state === 'booting') this.markReady(pod)
      return
    }
    this.schedule(pod, s.poll.bootSeconds * 1000, () => this.boot(pod))
  }

  private async workerAnswers(pod: PodRecord): Promise<boolean> {
    try {
      await pod.client.health(pod.abort.signal)
      return true
    } catch {
      return false
    }
  }

  private markReady(pod: PodRecord): void {
    const now = this.clock.now()
    pod.state = 'ready'
    this.measuredBootSeconds = (now - pod.createdAt) / 1000
    pod.nextStatusAt = now + this.settings.poll.podStatusSeconds * 1000
    pod.nextHealthAt = now + this.settings.poll.workerHealthSeconds * 1000
    this.opts.emit({ type: 'pod_ready', podId: pod.id })
    this.scheduleMonitor(pod)
    this.armIdle(pod)
    this.serveWaiters()
  }

  private scheduleMonitor(pod: PodRecord): void {
    const next = Math.min(pod.nextStatusAt, pod.nextHealthAt)
    this.schedule(pod, Math.max(0, next - this.clock.now()), () => this.monitor(pod))
  }

  // Preemption has no webhook and only ~5 s of SIGTERM: we notice it from the pod's status (EXITED) or a silent worker.
  private async monitor(pod: PodRecord): Promise<void> {
    if (pod.state !== 'ready' && pod.state !== 'busy') return
    pod.checking = true
    try {
      const now = this.clock.now()
      if (now >= pod.nextStatusAt) {
        pod.nextStatusAt = now + this.settings.poll.podStatusSeconds * 1000
        let status: Awaited<ReturnType<PodBackend['status']>> | undefined
        try {
          status = await this.opts.backend.status(pod.id)
        } catch {
          status = undefined
        }
        if (status !== undefined && status !== 'RUNNING') {
          return this.lose(pod, status === 'EXITED' ? 'preempted: the pod exited' : `the pod is ${status === null ? 'gone' : status.toLowerCase()}`)
        }
      }
      if (now >= pod.nextHealthAt) {
        pod.nextHealthAt = now + this.settings.poll.workerHealthSeconds * 1000
        if (await this.workerAnswers(pod)) pod.healthFailures = 0
        else if (++pod.healthFailures >= this.settings.pods.healthFailuresToLose) return this.lose(pod, 'the worker stopped answering')
      }
    } finally {
      pod.checking = false
    }
    if (pod.state === 'ready' || pod.state === 'busy') this.scheduleMonitor(pod)
  }

  private lose(pod: PodRecord, reason: string): Promise<void> {
    if (pod.state !== 'ready' && pod.state !== 'busy') return pod.ending ?? Promise.resolve()
    const now = this.clock.now()
    pod.state = 'preemption_warning'
    this.lostAt = now
    this.cooldownUntil = now + this.settings.pods.retryAfterFailureSeconds * 1000
    this.opts.emit({ type: 'pod_preemption_warning', podId: pod.id })
    pod.abort.abort(new KitsumyError('lost', `pod ${pod.id}: ${reason}`))
    this.notify({ kind: 'lost', podId: pod.id, reason })
    return this.end(pod, reason)
  }

  private end(pod: PodRecord, reason: string, notice?: 'boot_failed'): Promise<void> {
    if (pod.ending) return pod.ending
    pod.ending = (async () => {
      this.clock.clearTimeout(pod.timer)
      this.clearIdle(pod)
      if (notice) this.cooldownUntil = this.clock.now() + this.settings.pods.retryAfterFailureSeconds * 1000
      pod.state = 'offline'
      if (!pod.abort.signal.aborted) pod.abort.abort(new KitsumyError('lost', `pod ${pod.id}: ${reason}`))
      if (notice) this.notify({ kind: notice, podId: pod.id, reason })
      this.serveWaiters()
      let ended = true
      try {
        await this.opts.backend.terminate(pod.id)
      } catch {
        ended = false
        this.retryTermination({ id: pod.id, gpuTypeId: pod.gpuTypeId, costPerHr: pod.costPerHr, createdAt: pod.createdAt, idleUntil: null, reaped: false }, reason)
      }
      this.pods.delete(pod.id)
      if (ended) this.terminated(pod, reason)
    })()
    return pod.ending
  }

  private listed(alive: string[]): void {
    try {
      this.opts.onListed?.(alive)
    } catch {
      this.opts.emit({ type: 'error', comicId: null, code: 'internal', message: 'Pods that ended while the studio was closed could not be closed in the cost ledger.' })
    }
  }

  // RunPod confirmed the termination: the pod's time is billed up to now, and the studio is told.
  private terminated(pod: Pick<Unterminated, 'id' | 'createdAt' | 'costPerHr'> & { reaped?: boolean }, reason: string): void {
    this.unterminated.delete(pod.id)
    try {
      if (pod.reaped) this.opts.onReaped?.(pod.id)
      else this.opts.onBilled?.(billOf(pod, this.clock.now()))
    } catch {
      // Often nobody awaits an ending pod (the idle timer): a bill that cannot be written must not become an unhandled rejection.
      this.opts.emit({ type: 'error', comicId: null, code: 'internal', message: `The pod ${pod.id} was terminated, but its bill could not be recorded in the cost ledger.` })
    }
    this.opts.emit({ type: 'pod_terminated', podId: pod.id, reason })
  }

  // A pod we failed to terminate keeps billing, and the ledger keeps it open: keep trying (and the next start
  // reaps it if we die first).
  private retryTermination(pod: Unterminated, reason: string): void {
    if (this.unterminated.has(pod.id)) return
    const attempt = (delay: number) => {
      this.unterminated.set(pod.id, {
        pod, reason,
        timer: this.clock.setTimeout(() => {
          this.opts.rest.terminatePod(pod.id).then(
            () => this.terminated(pod, reason),
            () => attempt(Math.min(delay * 2, 600_000)),
          )
        }, delay),
      })
    }
    attempt(this.settings.poll.podStatusSeconds * 1000)
  }

  private armIdle(pod: PodRecord): void {
    this.clearIdle(pod)
    if (this.aliveCount() > this.wanted && this.waiters.length === 0) {
      void this.end(pod, `not needed: the work in hand fits in ${this.wanted} pod(s)`)
      return
    }
    const ms = this.keepAliveMs
    pod.idleUntil = this.clock.now() + ms
    pod.idleTimer = this.clock.setTimeout(() => {
      pod.idleTimer = null
      pod.idleUntil = null
      if (pod.state === 'ready' && pod.leases === 0) void this.end(pod, ms < 60_000 ? `idle for ${Math.round(ms / 1000)} s` : `idle for ${Math.round(ms / 60_000)} min`)
    }, ms)
  }

  private clearIdle(pod: PodRecord): void {
    if (pod.idleTimer !== null) this.clock.clearTimeout(pod.idleTimer)
    pod.idleTimer = null
    pod.idleUntil = null
  }

  private serveWaiters(): void {
    while (this.waiters.length > 0) {
      const lease = this.tryAcquire()
      if (!lease) break
      const w = this.waiters.shift()!
      w.signal.removeEventListener('abort', w.onAbort)
      w.resolve(lease)
    }
    if (!this.anyAliveOrComing()) {
      for (const w of this.waiters.splice(0)) {
        w.signal.removeEventListener('abort', w.onAbort)
        w.resolve(null)
      }
    }
  }
}
