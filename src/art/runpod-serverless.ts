import { z } from 'zod'
import type { ImageRequest } from '../contract/index.ts'
import { KitsumyError } from '../contract/errors.ts'
import type { FailedAttemptBill } from '../contract/errors.ts'
import type { Clock } from '../platform/clock.ts'
import type { GenerateOptions, ImageEngine, ImageResult } from './engine.ts'
import type { WorkflowFor } from './comfy-client.ts'
import { bearer, downloadImage, imageFrom, parseJson, send, sleep, statusError, withRetry } from './http.ts'
import type { HttpCall } from './http.ts'
import { JobPoll, RunPace } from './poll-pace.ts'

export const JobState = z.enum(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'])
export type JobState = z.infer<typeof JobState>

export const Job = z.object({
  id: z.string().min(1),
  status: JobState,
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  delayTime: z.number().optional(),
  executionTime: z.number().optional(),
}).passthrough()
export type Job = z.infer<typeof Job>

const Count = z.number().int().nonnegative().optional()
export const EndpointHealth = z.object({
  jobs: z.object({ completed: Count, failed: Count, inProgress: Count, inQueue: Count, retried: Count }).passthrough(),
  workers: z.object({ idle: Count, running: Count, ready: Count, initializing: Count, throttled: Count, unhealthy: Count }).passthrough(),
})
export type EndpointHealth = z.infer<typeof EndpointHealth>

export interface ServerlessClientOptions {
  baseUrl: string
  endpointId: string
  apiKey: string
  clock: Clock
  requestTimeoutMs: number
  service?: string
}

export interface JobPolicy {
  executionTimeout?: number
  ttl?: number
  lowPriority?: boolean
}

// The queue API every RunPod serverless endpoint speaks, our worker-comfyui endpoint and the public Flux endpoints alike.
export class RunpodServerlessClient {
  readonly endpointId: string
  private readonly opts: ServerlessClientOptions
  private readonly service: string
  private readonly root: string

  constructor(opts: ServerlessClientOptions) {
    this.opts = opts
    this.endpointId = opts.endpointId
    this.service = opts.service ?? 'RunPod serverless'
    this.root = `${opts.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(opts.endpointId)}`
  }

  private call(path: string, extra: Partial<HttpCall> = {}): HttpCall {
    return {
      url: `${this.root}${path}`,
      headers: bearer(this.opts.apiKey),
      timeoutMs: this.opts.requestTimeoutMs,
      service: this.service,
      secrets: [this.opts.apiKey],
      ...extra,
    }
  }

  private async jobCall(call: HttpCall, notFound: () => KitsumyError): Promise<Job> {
    const res = await send(call)
    if (res.status === 404) throw notFound()
    if (res.status < 200 || res.status >= 300) throw statusError(res, call, this.opts.clock.now())
    return parseJson(res, Job, this.service)
  }

  private unknownEndpoint = () => new KitsumyError('not_found', `${this.service}: endpoint ${this.endpointId} not found`, { retryable: false })

  run(input: unknown, opts: { signal?: AbortSignal; policy?: JobPolicy } = {}): Promise<Job> {
    return this.jobCall(this.call('/run', { method: 'POST', json: { input, ...(opts.policy ? { policy: opts.policy } : {}) }, signal: opts.signal }), this.unknownEndpoint)
  }

  // RunPod holds the call up to `waitMs` (1 s – 300 s); an unfinished job comes back IN_QUEUE / IN_PROGRESS to poll.
  runsync(input: unknown, opts: { signal?: AbortSignal; waitMs: number }): Promise<Job> {
    const wait = Math.min(300_000, Math.max(1_000, Math.round(opts.waitMs)))
    return this.jobCall(
      this.call(`/runsync?wait=${wait}`, { method: 'POST', json: { input }, signal: opts.signal, timeoutMs: wait + this.opts.requestTimeoutMs }),
      this.unknownEndpoint,
    )
  }

  // 404 here means the job's TTL ran out (or its result was purged): it is gone, not merely late.
  status(id: string, signal?: AbortSignal): Promise<Job> {
    return this.jobCall(this.call(`/status/${encodeURIComponent(id)}`, { signal }), () =>
      new KitsumyError('lost', `${this.service}: job expired or unknown (HTTP 404)`))
  }

  async cancel(id: string): Promise<void> {
    const call = this.call(`/cancel/${encodeURIComponent(id)}`, { method: 'POST', timeoutMs: Math.min(10_000, this.opts.requestTimeoutMs) })
    const res = await send(call)
    if (res.status >= 400 && res.status !== 404) throw statusError(res, call, this.opts.clock.now())
  }

  async health(signal?: AbortSignal): Promise<EndpointHealth> {
    const call = this.call('/health', { signal })
    const res = await send(call)
    if (res.status === 404) throw this.unknownEndpoint()
    if (res.status < 200 || res.status >= 300) throw statusError(res, call, this.opts.clock.now())
    return parseJson(res, EndpointHealth, this.service)
  }
}

// Why a job would sit IN_QUEUE forever, read from /health; null when some worker can take it.
export function endpointTrouble(health: EndpointHealth): string | null {
  const w = health.workers
  if ((w.idle ?? 0) + (w.running ?? 0) + (w.ready ?? 0) > 0) return null
  if ((w.initializing ?? 0) > 0) return null
  if ((w.unhealthy ?? 0) > 0) return 'its workers are crash-looping (unhealthy), so queued jobs never start'
  if ((w.throttled ?? 0) > 0) return 'RunPod has no free GPU for it right now (workers throttled)'
  return 'it has no workers (RunPod scales an unused endpoint to zero; raise its max workers in the RunPod console)'
}

export interface JobWaitOptions {
  clock: Clock
  pollMs: number
  maxWaitMs: number
  // After this long IN_QUEUE, ask /health whether any worker can take the job at all.
  stuckQueueMs: number
  signal: AbortSignal
  onProgress?: (fraction: number) => void
  // What a job that ran and failed is billed, for endpoints that bill by the second.
  failedJobBill?: (job: Job) => FailedAttemptBill | null
  // For endpoints that bill a worker's idle seconds: ask as the running job should end (poll-pace.ts); else every pollMs.
  poll?: JobPoll
}

// Polls a submitted job to COMPLETED; cancels it on abort, deadline or a dead endpoint so it never bills later.
export async function waitForJob(client: RunpodServerlessClient, submitted: Job, opts: JobWaitOptions): Promise<Job> {
  const { clock, signal } = opts
  const started = clock.now()
  let job = submitted
  let nextHealthAt = started + opts.stuckQueueMs
  const stop = async (err: KitsumyError): Promise<never> => {
    await client.cancel(job.id).catch(() => undefined)
    throw err
  }
  try {
    for (;;) {
      switch (job.status) {
        case 'COMPLETED':
          return job
        case 'FAILED':
          throw new KitsumyError('bad_response', `${client.endpointId}: the job failed${describeError(job.error)}`, { billed: opts.failedJobBill?.(job) })
        case 'CANCELLED':
          throw new KitsumyError('cancelled', `${client.endpointId}: the job was cancelled`)
        case 'TIMED_OUT':
          throw new KitsumyError('timeout', `${client.endpointId}: the job hit its execution timeout`, { billed: opts.failedJobBill?.(job) })
        case 'IN_PROGRESS':
          opts.onProgress?.(0.5)
          break
        case 'IN_QUEUE':
          if (clock.now() >= nextHealthAt) {
            nextHealthAt = clock.now() + opts.stuckQueueMs
            const trouble = endpointTrouble(await client.health(signal))
            if (trouble) await stop(new KitsumyError('capacity', `Serverless endpoint ${client.endpointId}: ${trouble}`))
          }
          break
      }
      if (clock.now() - started >= opts.maxWaitMs) {
        await stop(new KitsumyError('timeout', `${client.endpointId}: no result after ${Math.round(opts.maxWaitMs / 1000)} s`))
      }
      const wait = opts.poll?.next(clock.now(), { running: job.status === 'IN_PROGRESS', delayMs: job.delayTime }) ?? opts.pollMs
      await sleep(clock, wait, signal)
      const id = job.id
      job = await withRetry(() => client.status(id, signal), { clock, attempts: 6, baseMs: opts.pollMs, maxMs: 30_000, idempotent: true, signal })
    }
  } catch (err) {
    if (signal.aborted) {
      await client.cancel(job.id).catch(() => undefined)
      throw new KitsumyError('cancelled', `${client.endpointId}: cancelled`, { cause: err })
    }
    throw err
  }
}

function describeError(error: unknown): string {
  if (error === undefined || error === null || error === '') return ''
  const text = typeof error === 'string' ? error : JSON.stringify(error)
  return `: ${text.slice(0, 200)}`
}

// worker-comfyui v5+ output.
const WorkerOutput = z.object({
  images: z.array(z.object({ filename: z.string(), type: z.enum(['base64', 's3_url']), data: z.string().min(1) })).default([]),
  errors: z.array(z.unknown()).optional(),
})

export interface ServerlessEngineOptions {
  client: RunpodServerlessClient
  workflowFor: WorkflowFor
  clock: Clock
  // $/s of the endpoint's GPU (flex price from the catalog, read per job); the job's executionTime is what RunPod bills.
  pricePerSecond: () => number
  pollMs: number
  maxWaitMs: number
  stuckQueueMs: number
  executionTimeoutMs: number
  downloadTimeoutMs: number
  // Polling around a job's expected end (poll-pace.ts), and the time per image until the endpoint's own is measured.
  briskPollMs: number
  expectedRunMs: number
}

// Our worker-comfyui serverless endpoint: the same graph a pod runs, billed by the second.
export class ServerlessEngine implements ImageEngine {
  readonly id = 'serverless' as const
  private readonly opts: ServerlessEngineOptions
  private readonly pace: RunPace

  constructor(opts: ServerlessEngineOptions) {
    this.opts = opts
    this.pace = new RunPace(opts.expectedRunMs)
  }

  async generate(request: ImageRequest, options: GenerateOptions): Promise<ImageResult> {
    const { client, clock } = this.opts
    const input = { workflow: this.opts.workflowFor(request) }
    // A 429 means the job was not accepted, so resubmitting cannot run it twice.
    let sentAt = clock.now()
    const submitted = await withRetry(
      () => {
        sentAt = clock.now()
        return client.run(input, { signal: options.signal, policy: { executionTimeout: this.opts.executionTimeoutMs } })
      },
      { clock, attempts: 5, baseMs: 1_000, maxMs: 30_000, idempotent: false, signal: options.signal },
    )
    const provider = `runpod-serverless:${client.endpointId}`
    const bill = (job: Job): FailedAttemptBill | null => {
      const seconds = (job.executionTime ?? 0) / 1000
      return seconds > 0 ? { provider, seconds, usd: seconds * this.opts.pricePerSecond() } : null
    }
    const poll = new JobPoll({ sentAt, runMs: this.pace.expectedMs, pollMs: this.opts.pollMs, briskMs: this.opts.briskPollMs })
    const done = await waitForJob(client, submitted, { ...this.opts, signal: options.signal, onProgress: options.onProgress, failedJobBill: bill, poll })
    this.pace.observe(done.executionTime)
    const parsed = WorkerOutput.safeParse(done.output)
    if (!parsed.success || parsed.data.images.length === 0) {
      const errors = parsed.success && parsed.data.errors?.length ? `: ${JSON.stringify(parsed.data.errors).slice(0, 200)}` : ''
      throw new KitsumyError('bad_response', `Serverless ${client.endpointId}: the job finished without an image${errors}`, { billed: bill(done) })
    }
    const first = parsed.data.images[0]
    const image = first.type === 'base64'
      ? imageFrom(new Uint8Array(Buffer.from(first.data, 'base64')), 'RunPod serverless')
      : await downloadImage(first.data, { timeoutMs: this.opts.downloadTimeoutMs, signal: options.signal, service: 'RunPod serverless result' })
    options.onProgress?.(1)
    const seconds = (done.executionTime ?? 0) / 1000
    return { ...image, costUsd: seconds * this.opts.pricePerSecond(), provider }
  }
}
