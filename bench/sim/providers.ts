import { KitsumyError } from '../../src/contract/errors.ts'
import type { Clock } from '../../src/platform/clock.ts'
import type { Random } from '../../src/platform/random.ts'
import type { PodBackend } from '../../src/cloud/pod-backend.ts'
import type { PodStatus } from '../../src/cloud/runpod-rest.ts'
import { SCENARIO } from './scenario.ts'

// Simulated providers with the scenario's timings and billing rules. Callback-driven on an injected
// Clock, so the same models serve the full simulator (ManualClock) and the analytic replay (EventClock).

export interface SimTask {
  // The comic the work is for; a serverless worker's idle tail is billed to the last comic it served.
  tag: string | null
  // The worker's handler crashes after this many seconds of running (the job ends FAILED, billed for them).
  failAfterSeconds?: number
  onStart?: () => void
  onDone: (billedSeconds: number) => void
  onFail: (error: KitsumyError, billedSeconds: number) => void
}

export interface SimHandle {
  // Stops the task; returns the seconds the provider bills for the part that ran.
  cancel(): number
}

export interface ServerlessSpec {
  usdPerSecond: number
  secondsPerImage: number
  coldStartSeconds: { min: number; max: number }
  idleSeconds: number
  maxWorkers: number
}

export interface ReplicateSpec {
  usdPerImage: number
  secondsPerImage: number
  concurrency: number
}

export interface PodSpec {
  usdPerHour: number
  bootSeconds: { min: number; max: number }
  secondsPerImage: number
  preemptionMeanSeconds: number
  noticeSeconds: number
}

const MS = 1000
const uniform = (rand: Random, range: { min: number; max: number }) => range.min + (range.max - range.min) * rand()

interface ServerlessJob {
  task: SimTask
  worker: ServerlessWorker | null
  startedAt: number
  timer: unknown
  done: boolean
}

interface ServerlessWorker {
  state: 'starting' | 'busy' | 'idle'
  job: ServerlessJob | null
  idleSince: number
  timer: unknown
  lastTag: string | null
}

// RunPod serverless: bills running seconds and a short idle tail per worker; cold starts are free but slow.
// Workers scale with the queue up to maxWorkers; jobs wait IN_QUEUE beyond that.
export class SimServerless {
  readonly stats = { jobs: 0, runningSeconds: 0, idleSeconds: 0, coldStarts: 0 }
  private readonly clock: Clock
  private readonly rand: Random
  private readonly spec: ServerlessSpec
  private readonly onIdle: (seconds: number, tag: string | null) => void
  private readonly queue: ServerlessJob[] = []
  private readonly workers = new Set<ServerlessWorker>()

  constructor(clock: Clock, rand: Random, onIdle: (seconds: number, tag: string | null) => void = () => undefined, spec: ServerlessSpec = SCENARIO.serverless) {
    this.clock = clock
    this.rand = rand
    this.spec = spec
    this.onIdle = onIdle
  }

  get usd(): number {
    return (this.stats.runningSeconds + this.stats.idleSeconds) * this.spec.usdPerSecond
  }

  get workerCount(): number {
    return this.workers.size
  }

  // Jobs that would start within a cold start: idle workers plus room to scale.
  get freeCapacity(): number {
    let idle = 0
    let starting = 0
    for (const w of this.workers) {
      if (w.state === 'idle') idle++
      else if (w.state === 'starting') starting++
    }
    return idle + starting + (this.spec.maxWorkers - this.workers.size) - this.queue.length
  }

  submit(task: SimTask): SimHandle {
    const job: ServerlessJob = { task, worker: null, startedAt: 0, timer: null, done: false }
    this.queue.push(job)
    this.dispatch()
    return { cancel: () => this.cancel(job) }
  }

  private dispatch(): void {
    for (const w of this.workers) {
      if (this.queue.length === 0) break
      if (w.state !== 'idle') continue
      this.endIdle(w)
      this.start(w, this.queue.shift()!)
    }
    let starting = 0
    for (const w of this.workers) if (w.state === 'starting') starting++
    while (this.queue.length > starting && this.workers.size < this.spec.maxWorkers) {
      this.spawn()
      starting++
    }
  }

  private spawn(): void {
    const w: ServerlessWorker = { state: 'starting', job: null, idleSince: 0, timer: null, lastTag: null }
    this.workers.add(w)
    this.stats.coldStarts++
    w.timer = this.clock.setTimeout(() => this.next(w), uniform(this.rand, this.spec.coldStartSeconds) * MS)
  }

  private start(w: ServerlessWorker, job: ServerlessJob): void {
    w.state = 'busy'
    w.job = job
    job.worker = w
    job.startedAt = this.clock.now()
    this.stats.jobs++
    const fails = job.task.failAfterSeconds !== undefined && job.task.failAfterSeconds < this.spec.secondsPerImage
    const seconds = fails ? job.task.failAfterSeconds! : this.spec.secondsPerImage
    job.timer = this.clock.setTimeout(() => this.finish(w, job, seconds, fails), seconds * MS)
    job.task.onStart?.()
  }

  private finish(w: ServerlessWorker, job: ServerlessJob, seconds: number, failed: boolean): void {
    job.done = true
    this.stats.runningSeconds += seconds
    w.lastTag = job.task.tag
    w.job = null
    this.next(w)
    if (failed) job.task.onFail(new KitsumyError('bad_response', `RunPod serverless: the job FAILED after ${seconds} s`), seconds)
    else job.task.onDone(seconds)
  }

  private next(w: ServerlessWorker): void {
    const job = this.queue.shift()
    if (job) return this.start(w, job)
    w.state = 'idle'
    w.idleSince = this.clock.now()
    w.timer = this.clock.setTimeout(() => {
      this.billIdle(w, this.spec.idleSeconds)
      this.workers.delete(w)
    }, this.spec.idleSeconds * MS)
  }

  private endIdle(w: ServerlessWorker): void {
    this.clock.clearTimeout(w.timer)
    this.billIdle(w, (this.clock.now() - w.idleSince) / MS)
  }

  private billIdle(w: ServerlessWorker, seconds: number): void {
    if (seconds <= 0) return
    this.stats.idleSeconds += seconds
    this.onIdle(seconds, w.lastTag)
  }

  private cancel(job: ServerlessJob): number {
    if (job.done) return 0
    job.done = true
    const w = job.worker
    if (!w) {
      this.queue.splice(this.queue.indexOf(job), 1)
      return 0
    }
    this.clock.clearTimeout(job.timer)
    const seconds = (this.clock.now() - job.startedAt) / MS
    this.stats.runningSeconds += seconds
    w.lastTag = job.task.tag
    w.job = null
    this.next(w)
    return seconds
  }
}

interface ReplicateJob {
  task: SimTask
  timer: unknown
  running: boolean
  done: boolean
}

// Replicate: a flat price per image, a few seconds each, a fixed number at once; failed predictions are free.
export class SimReplicate {
  readonly stats = { images: 0 }
  private readonly clock: Clock
  private readonly spec: ReplicateSpec
  private readonly queue: ReplicateJob[] = []
  private running = 0

  constructor(clock: Clock, spec: ReplicateSpec = SCENARIO.replicate) {
    this.clock = clock
    this.spec = spec
  }

  get usd(): number {
    return this.stats.images * this.spec.usdPerImage
  }

  get freeCapacity(): number {
    return this.spec.concurrency - this.running - this.queue.length
  }

  submit(task: SimTask): SimHandle {
    const job: ReplicateJob = { task, timer: null, running: false, done: false }
    this.queue.push(job)
    this.pump()
    return {
      cancel: () => {
        if (job.done) return 0
        job.done = true
        if (job.running) {
          this.clock.clearTimeout(job.timer)
          this.running--
          this.pump()
        } else {
          this.queue.splice(this.queue.indexOf(job), 1)
        }
        return 0
      },
    }
  }

  private pump(): void {
    while (this.running < this.spec.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!
      job.running = true
      this.running++
      job.task.onStart?.()
      job.timer = this.clock.setTimeout(() => {
        job.done = true
        this.running--
        this.stats.images++
        this.pump()
        job.task.onDone(this.spec.secondsPerImage)
      }, this.spec.secondsPerImage * MS)
    }
  }
}

interface PodJob {
  task: SimTask
  startedAt: number
  timer: unknown
  done: boolean
}

export interface SimPod {
  id: string
  createdAt: number
  readyAt: number
  // Interruptible only: SIGTERM at preemptAt, SIGKILL `noticeSeconds` later.
  killAt: number | null
  endedAt: number | null
  terminated: boolean
  queue: PodJob[]
  running: PodJob | null
  timer: unknown
  billedSeconds: number
  images: number
}

export interface PodCloudStats {
  created: number
  preempted: number
  images: number
  lostJobs: number
  billedSeconds: number
  maxAlive: number
}

// RunPod pods: billed per second from create to terminate (or to the kill, when preempted), boot and idle
// included. The GPU draws one image at a time from its own queue; a killed pod fails everything it held.
export class SimPodCloud {
  readonly pods = new Map<string, SimPod>()
  readonly stats: PodCloudStats = { created: 0, preempted: 0, images: 0, lostJobs: 0, billedSeconds: 0, maxAlive: 0 }
  readonly interruptible: boolean
  private readonly clock: Clock
  private readonly bootRand: Random
  private readonly preemptRand: Random
  private readonly spec: PodSpec
  private alive = 0

  constructor(clock: Clock, rands: { boot: Random; preempt: Random }, opts: { interruptible: boolean }, spec: PodSpec = SCENARIO.pod) {
    this.clock = clock
    this.bootRand = rands.boot
    this.preemptRand = rands.preempt
    this.interruptible = opts.interruptible
    this.spec = spec
  }

  get usd(): number {
    return (this.stats.billedSeconds * this.spec.usdPerHour) / 3600
  }

  get aliveCount(): number {
    return this.alive
  }

  // Pods still up: what they have billed so far (their bill is settled when they end).
  openUsd(): number {
    const now = this.clock.now()
    let seconds = 0
    for (const pod of this.pods.values()) if (pod.endedAt === null) seconds += (now - pod.createdAt) / MS
    return (seconds * this.spec.usdPerHour) / 3600
  }

  // A pod `booted` already is one kept up all day: it is ready the moment its bill starts.
  create(opts: { booted?: boolean } = {}): SimPod {
    const now = this.clock.now()
    const id = `simpod${++this.stats.created}`
    const boot = opts.booted ? 0 : uniform(this.bootRand, this.spec.bootSeconds) * MS
    const pod: SimPod = {
      id, createdAt: now, readyAt: now + boot, killAt: null, endedAt: null, terminated: false,
      queue: [], running: null, timer: null, billedSeconds: 0, images: 0,
    }
    if (this.interruptible) {
      const preemptIn = -Math.log(1 - this.preemptRand()) * this.spec.preemptionMeanSeconds * MS
      pod.killAt = now + preemptIn + this.spec.noticeSeconds * MS
      pod.timer = this.clock.setTimeout(() => this.kill(pod), pod.killAt - now)
    }
    this.pods.set(id, pod)
    this.alive++
    this.stats.maxAlive = Math.max(this.stats.maxAlive, this.alive)
    return pod
  }

  status(id: string): PodStatus | null {
    const pod = this.pods.get(id)
    if (!pod) return null
    const now = this.clock.now()
    if (pod.terminated) return 'TERMINATED'
    if (pod.endedAt !== null) return 'EXITED'
    if (now < pod.readyAt) return now < pod.createdAt + (pod.readyAt - pod.createdAt) / 3 ? 'PROVISIONING' : 'STARTING'
    return 'RUNNING'
  }

  // The worker answers once booted, until the pod dies.
  healthy(id: string): boolean {
    const pod = this.pods.get(id)
    return pod !== undefined && pod.endedAt === null && this.clock.now() >= pod.readyAt
  }

  run(id: string, task: SimTask): SimHandle {
    const pod = this.pods.get(id)
    const job: PodJob = { task, startedAt: 0, timer: null, done: false }
    if (!pod || !this.healthy(id)) {
      job.done = true
      this.clock.setTimeout(() => task.onFail(new KitsumyError('lost', `pod ${id} is not reachable`), 0), 0)
      return { cancel: () => 0 }
    }
    pod.queue.push(job)
    this.pump(pod)
    return {
      cancel: () => {
        if (job.done) return 0
        job.done = true
        if (pod.running === job) {
          this.clock.clearTimeout(job.timer)
          pod.running = null
          this.pump(pod)
        } else {
          pod.queue.splice(pod.queue.indexOf(job), 1)
        }
        return 0
      },
    }
  }

  terminate(id: string): void {
    const pod = this.pods.get(id)
    if (!pod || pod.terminated) return
    pod.terminated = true
    if (pod.endedAt === null) this.end(pod, 'terminated')
  }

  backend(): PodBackend {
    return {
      capacityClass: this.interruptible ? 'interruptible' : 'on-demand',
      create: async () => ({ id: this.create().id, costPerHr: this.spec.usdPerHour }),
      status: async (id) => this.status(id),
      terminate: async (id) => this.terminate(id),
    }
  }

  private pump(pod: SimPod): void {
    if (pod.running || pod.endedAt !== null) return
    const job = pod.queue.shift()
    if (!job) return
    pod.running = job
    job.startedAt = this.clock.now()
    job.task.onStart?.()
    job.timer = this.clock.setTimeout(() => {
      job.done = true
      pod.running = null
      pod.images++
      this.stats.images++
      this.pump(pod)
      job.task.onDone(this.spec.secondsPerImage)
    }, this.spec.secondsPerImage * MS)
  }

  private kill(pod: SimPod): void {
    if (pod.endedAt !== null) return
    this.stats.preempted++
    this.end(pod, 'preempted')
  }

  private end(pod: SimPod, why: 'terminated' | 'preempted'): void {
    const now = this.clock.now()
    pod.endedAt = now
    this.clock.clearTimeout(pod.timer)
    this.alive--
    pod.billedSeconds = Math.ceil((now - pod.createdAt) / MS - 1e-6)
    this.stats.billedSeconds += pod.billedSeconds
    const lost = [...(pod.running ? [pod.running] : []), ...pod.queue.splice(0)]
    if (pod.running) this.clock.clearTimeout(pod.running.timer)
    pod.running = null
    for (const job of lost) {
      job.done = true
      this.stats.lostJobs++
      const err = new KitsumyError('lost', `pod ${pod.id} ${why}`)
      this.clock.setTimeout(() => job.task.onFail(err, 0), 0)
    }
  }
}
