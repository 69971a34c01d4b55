// A fake RunPod serverless API (https://api.runpod.ai/v2/{endpointId}/…): /run, /runsync, /status, /cancel, /health.
// Endpoint ids starting "black-forest-labs-flux" act as RunPod's public Flux endpoints (output {image_url, cost});
// any other id is a worker-comfyui endpoint (input {workflow}, output {images:[{filename,type,data}]}).
// Jobs queue for a fixed number of workers and run in the injected clock's time.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Clock } from '../../src/platform/clock.ts'
import { bearerOf, FakeHttpServer, isWorkflow, readJson, sendJson, sendPng, seedOfWorkflow, tinyPng } from './runpod-shared.ts'
import type { GenerationLog } from './runpod-shared.ts'

interface FakeJob {
  id: string
  endpointId: string
  flux: boolean
  seed: number
  megapixels: number
  submittedAt: number
  start: number | null
  end: number | null
  worker: number
  state: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELLED'
  error: string | null
}

export interface FakeServerlessOptions {
  clock: Clock
  log: GenerationLog
  apiKey: string
  jobMs?: number
  workers?: number
}

export class FakeRunpodServerless extends FakeHttpServer {
  // Knobs.
  jobMs: number
  workers: number
  // Workers that die on start: /health shows them unhealthy and jobs never leave the queue.
  crashLoop = false
  rateLimitNext = 0
  retryAfterSeconds = 3
  serverErrorsNext = 0
  // Requests that are accepted and never answered (for client timeouts).
  hangNext = 0
  failSeeds = new Set<number>()
  // The next this many jobs to finish fail (the worker's handler crashed), billed for the seconds they ran.
  failNext = 0
  // A job's TTL: /status answers 404 this long after submit.
  jobTtlMs: number | null = null
  // How long a result file stays downloadable after the job ends.
  resultTtlMs: number | null = null
  outputMode: 'base64' | 's3_url' = 'base64'
  fluxPerMegapixel = 0.02

  readonly jobs = new Map<string, FakeJob>()
  readonly calls = { run: 0, runsync: 0, status: 0, cancel: 0, health: 0 }
  private readonly opts: FakeServerlessOptions
  private busyUntil: number[] = []
  private seq = 0

  constructor(opts: FakeServerlessOptions) {
    super()
    this.opts = opts
    this.jobMs = opts.jobMs ?? 15_000
    this.workers = opts.workers ?? 3
  }

  get baseUrl(): string {
    return `${this.url}/v2`
  }

  // Starts queued jobs on free workers and finishes running ones, in clock time.
  settle(): void {
    const now = this.opts.clock.now()
    const capacity = this.crashLoop ? 0 : this.workers
    while (this.busyUntil.length < capacity) this.busyUntil.push(0)
    for (const job of this.jobs.values()) {
      if (job.state !== 'IN_QUEUE' || capacity === 0) continue
      let w = 0
      for (let i = 1; i < capacity; i++) if (this.busyUntil[i] < this.busyUntil[w]) w = i
      const start = Math.max(job.submittedAt, this.busyUntil[w])
      if (start > now) break
      job.start = start
      job.end = start + this.jobMs
      job.worker = w
      job.state = 'IN_PROGRESS'
      this.busyUntil[w] = job.end
    }
    for (const job of this.jobs.values()) {
      if (job.state !== 'IN_PROGRESS' || job.end === null || job.end > now) continue
      if (this.failSeeds.has(job.seed) || (!job.flux && this.failNext > 0 && this.failNext-- > 0)) {
        job.state = 'FAILED'
        job.error = 'RuntimeError: CUDA error: out of memory'
      } else {
        job.state = 'COMPLETED'
        this.opts.log.add(job.flux ? `flux:${job.endpointId}` : `serverless:${job.endpointId}`, job.seed)
      }
    }
  }

  generated(): number {
    return [...this.jobs.values()].filter((j) => j.state === 'COMPLETED').length
  }

  private jobJson(job: FakeJob): Record<string, unknown> {
    const out: Record<string, unknown> = { id: job.id, status: job.state }
    if (job.start !== null) out.delayTime = job.start - job.submittedAt
    if (job.state === 'COMPLETED' || job.state === 'FAILED') out.executionTime = (job.end ?? 0) - (job.start ?? 0)
    if (job.state === 'FAILED') out.error = job.error
    if (job.state === 'COMPLETED') {
      const fileUrl = `${this.url}/files/${job.id}.png`
      if (job.flux) out.output = { image_url: fileUrl, cost: Math.round(job.megapixels * this.fluxPerMegapixel * 1e6) / 1e6 }
      else {
        const data = this.outputMode === 'base64' ? tinyPng(`seed:${job.seed}`).toString('base64') : fileUrl
        out.output = { images: [{ filename: `ComfyUI_${job.id}.png`, type: this.outputMode, data }] }
      }
    }
    return out
  }

  private submit(endpointId: string, input: Record<string, unknown>): FakeJob {
    const flux = endpointId.startsWith('black-forest-labs-flux')
    const now = this.opts.clock.now()
    const id = `job-${(++this.seq).toString(36)}-${now.toString(36)}`
    const seed = flux ? Number(input.seed ?? -1) : seedOfWorkflow(input.workflow) ?? -1
    const job: FakeJob = {
      id, endpointId, flux, seed,
      megapixels: flux ? (Number(input.width) * Number(input.height)) / 1e6 : 1,
      submittedAt: now, start: null, end: null, worker: -1, state: 'IN_QUEUE', error: null,
    }
    if (!flux && !isWorkflow(input.workflow)) {
      job.state = 'FAILED'
      job.error = "Missing 'workflow' parameter"
    }
    if (flux && (typeof input.prompt !== 'string' || Number(input.width) % 64 !== 0 || Number(input.height) % 64 !== 0)) {
      job.state = 'FAILED'
      job.error = 'prompt is required; width and height must be multiples of 64'
    }
    this.jobs.set(id, job)
    this.settle()
    return job
  }

  private final(job: FakeJob): boolean {
    return job.state === 'COMPLETED' || job.state === 'FAILED' || job.state === 'CANCELLED'
  }

  protected async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const file = /^\/files\/([^/]+)\.png$/.exec(url.pathname)
    if (file && req.method === 'GET') {
      this.settle()
      const job = this.jobs.get(file[1])
      const expired = job?.end !== null && job?.end !== undefined && this.resultTtlMs !== null && this.opts.clock.now() > job.end + this.resultTtlMs
      if (!job || job.state !== 'COMPLETED' || expired) return sendJson(res, 404, { error: 'NoSuchKey' })
      return sendPng(res, tinyPng(`seed:${job.seed}`))
    }
    const m = /^\/v2\/([^/]+)\/(run|runsync|status|cancel|health)(?:\/([^/]+))?$/.exec(url.pathname)
    if (!m) return sendJson(res, 404, { error: 'not found' })
    if (bearerOf(req) !== this.opts.apiKey) return sendJson(res, 401, { error: 'Unauthorized' })
    if (this.hangNext > 0) {
      this.hangNext--
      return
    }
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--
      return sendJson(res, 429, { error: 'Too many requests' }, { 'retry-after': String(this.retryAfterSeconds) })
    }
    if (this.serverErrorsNext > 0) {
      this.serverErrorsNext--
      return sendJson(res, 500, { error: 'Internal Server Error' })
    }
    const [, endpointId, op, jobId] = m
    this.settle()
    if (op === 'health' && req.method === 'GET') {
      this.calls.health++
      const all = [...this.jobs.values()].filter((j) => j.endpointId === endpointId)
      const running = all.filter((j) => j.state === 'IN_PROGRESS').length
      return sendJson(res, 200, {
        jobs: {
          completed: all.filter((j) => j.state === 'COMPLETED').length,
          failed: all.filter((j) => j.state === 'FAILED').length,
          inProgress: running,
          inQueue: all.filter((j) => j.state === 'IN_QUEUE').length,
          retried: 0,
        },
        workers: {
          idle: this.crashLoop ? 0 : Math.max(0, this.workers - running),
          running: this.crashLoop ? 0 : running,
          initializing: 0,
          ready: 0,
          throttled: 0,
          unhealthy: this.crashLoop ? Math.max(1, this.workers) : 0,
        },
      })
    }
    if ((op === 'run' || op === 'runsync') && req.method === 'POST') {
      const body = (await readJson(req)) as { input?: Record<string, unknown> } | null
      if (!body?.input || typeof body.input !== 'object') return sendJson(res, 400, { error: 'input is required' })
      const job = this.submit(endpointId, body.input)
      if (op === 'run') {
        this.calls.run++
        return sendJson(res, 200, { id: job.id, status: job.state })
      }
      this.calls.runsync++
      const waitMs = Math.min(300_000, Math.max(1_000, Number(url.searchParams.get('wait') ?? 90_000)))
      return this.holdUntilDone(job, this.opts.clock.now() + waitMs, res)
    }
    if (!jobId) return sendJson(res, 404, { error: 'not found' })
    const job = this.jobs.get(jobId)
    const expired = job && this.jobTtlMs !== null && this.opts.clock.now() > job.submittedAt + this.jobTtlMs
    if (!job || job.endpointId !== endpointId || expired) return sendJson(res, 404, { error: 'job not found' })
    if (op === 'status' && req.method === 'GET') {
      this.calls.status++
      return sendJson(res, 200, this.jobJson(job))
    }
    if (op === 'cancel' && req.method === 'POST') {
      this.calls.cancel++
      if (!this.final(job)) {
        if (job.state === 'IN_PROGRESS') this.busyUntil[job.worker] = this.opts.clock.now()
        job.state = 'CANCELLED'
      }
      return sendJson(res, 200, { id: job.id, status: job.state })
    }
    return sendJson(res, 405, { error: 'method not allowed' })
  }

  // /runsync holds the call (in clock time) until the job ends or the wait runs out.
  private holdUntilDone(job: FakeJob, deadline: number, res: ServerResponse): void {
    const check = () => {
      this.settle()
      if (this.final(job) || this.opts.clock.now() >= deadline || res.destroyed) {
        if (!res.destroyed) sendJson(res, 200, this.jobJson(job))
        return
      }
      this.opts.clock.setTimeout(check, 500)
    }
    check()
  }
}
