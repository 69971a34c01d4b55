// A fake RunPod control plane on loopback: REST v2 pods + catalog (RFC 9457 errors), the legacy GraphQL
// for interruptible pods, and each pod's proxy URL (/proxy/{podId}/…) serving that pod's ComfyUI worker.
// Pods boot, run, get preempted and die in the injected clock's time.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Clock } from '../../src/platform/clock.ts'
import { FakeComfyWorker } from './comfy-server.ts'
import { bearerOf, FakeHttpServer, readJson, sendJson, sendProblem } from './runpod-shared.ts'
import type { GenerationLog } from './runpod-shared.ts'

export interface FakeCatalogGpu {
  id: string
  displayName: string
  memoryInGb: number
  securePrice: number
  communityPrice: number
  secureSpotPrice: number
  communitySpotPrice: number
  serverlessFlexPricePerSecond: number
  stockStatus: string
}

export const FAKE_CATALOG: FakeCatalogGpu[] = [
  { id: 'NVIDIA A40', displayName: 'A40', memoryInGb: 48, securePrice: 0.44, communityPrice: 0.4, secureSpotPrice: 0.44, communitySpotPrice: 0.4, serverlessFlexPricePerSecond: 0.00034, stockStatus: 'High' },
  { id: 'NVIDIA RTX A6000', displayName: 'RTX A6000', memoryInGb: 48, securePrice: 0.49, communityPrice: 0.33, secureSpotPrice: 0.49, communitySpotPrice: 0.33, serverlessFlexPricePerSecond: 0.00034, stockStatus: 'Medium' },
  { id: 'NVIDIA L40S', displayName: 'L40S', memoryInGb: 48, securePrice: 0.86, communityPrice: 0.79, secureSpotPrice: 0.86, communitySpotPrice: 0.79, serverlessFlexPricePerSecond: 0.00053, stockStatus: 'Low' },
  { id: 'NVIDIA GeForce RTX 4090', displayName: 'RTX 4090', memoryInGb: 24, securePrice: 0.69, communityPrice: 0.34, secureSpotPrice: 0.69, communitySpotPrice: 0.34, serverlessFlexPricePerSecond: 0.00031, stockStatus: 'High' },
]

export interface FakePod {
  id: string
  name: string
  image: string
  env: Record<string, string>
  gpuId: string
  costPerHr: number
  createdAt: number
  interruptible: boolean
  crashAt: number | null
  neverReady: boolean
  exitedAt: number | null
  terminatedAt: number | null
  worker: FakeComfyWorker
}

export interface FakeRunpodCloudOptions {
  clock: Clock
  log: GenerationLog
  apiKey: string
  // create → RUNNING
  bootMs?: number
  // RUNNING → the worker answers (running ≠ ready)
  warmupMs?: number
  genMs?: number
}

export class FakeRunpodCloud extends FakeHttpServer {
  // Knobs.
  bootMs: number
  warmupMs: number
  genMs: number
  noCapacity: Set<string> | 'all' = new Set()
  forbidden = new Set<string>()
  noBalance = false
  bootFailure: null | 'crash' | 'never-ready' = null
  rateLimitNext = 0
  retryAfterSeconds = 2
  serverErrorsNext = 0
  // Rents the pod, then answers 502 anyway (the response was lost on the way back).
  createThenFailNext = 0
  // The first pod to serve this many images is preempted right after serving the last of them.
  preemptAfterViews: number | null = null

  readonly pods = new Map<string, FakePod>()
  readonly calls = { create: 0, delete: 0, graphql: 0, rateLimited: 0, serverErrors: 0, catalog: 0 }
  private readonly opts: FakeRunpodCloudOptions
  private seq = 0

  constructor(opts: FakeRunpodCloudOptions) {
    super()
    this.opts = opts
    this.bootMs = opts.bootMs ?? 60_000
    this.warmupMs = opts.warmupMs ?? 20_000
    this.genMs = opts.genMs ?? 10_000
  }

  get restUrl(): string {
    return `${this.url}/v2`
  }

  get graphqlUrl(): string {
    return `${this.url}/graphql`
  }

  get proxyTemplate(): string {
    return `${this.url}/proxy/{podId}`
  }

  status(pod: FakePod): 'PROVISIONING' | 'STARTING' | 'RUNNING' | 'EXITED' | 'TERMINATED' {
    const now = this.opts.clock.now()
    if (pod.terminatedAt !== null) return 'TERMINATED'
    if (pod.exitedAt !== null && now >= pod.exitedAt) return 'EXITED'
    if (pod.crashAt !== null && now >= pod.crashAt) return 'EXITED'
    if (now < pod.createdAt + this.bootMs / 3) return 'PROVISIONING'
    if (now < pod.createdAt + this.bootMs) return 'STARTING'
    return 'RUNNING'
  }

  workerUp(pod: FakePod): boolean {
    return this.status(pod) === 'RUNNING' && !pod.neverReady && this.opts.clock.now() >= pod.createdAt + this.bootMs + this.warmupMs
  }

  // Pods RunPod would still bill for.
  billing(): FakePod[] {
    return [...this.pods.values()].filter((p) => p.terminatedAt === null)
  }

  // SIGTERM, SIGKILL 5 s later: the pod goes EXITED and its worker stops answering.
  preempt(id: string): void {
    const pod = this.pods.get(id)
    if (!pod || pod.exitedAt !== null) return
    pod.exitedAt = this.opts.clock.now()
    pod.worker.kill()
  }

  // A pod made outside this test's manager (another session, another installation, the user by hand).
  seedPod(spec: { name: string; env?: Record<string, string>; gpuId?: string; interruptible?: boolean }): FakePod {
    return this.addPod({ name: spec.name, image: 'runpod/worker-comfyui', env: spec.env ?? {}, gpuId: spec.gpuId ?? 'NVIDIA A40', interruptible: spec.interruptible ?? false, costPerHr: 0.44 })
  }

  private addPod(spec: { name: string; image: string; env: Record<string, string>; gpuId: string; interruptible: boolean; costPerHr: number }): FakePod {
    const now = this.opts.clock.now()
    const id = `pod${(++this.seq).toString(36)}x${now.toString(36).slice(-4)}`
    const pod: FakePod = {
      ...spec,
      id,
      createdAt: now,
      crashAt: this.bootFailure === 'crash' ? now + this.bootMs / 2 : null,
      neverReady: this.bootFailure === 'never-ready',
      exitedAt: null,
      terminatedAt: null,
      worker: new FakeComfyWorker({ clock: this.opts.clock, log: this.opts.log, where: `pod:${id}`, genMs: this.genMs, token: spec.env.KITSUMY_WORKER_TOKEN ?? null }),
    }
    pod.worker.onView = (views) => {
      if (this.preemptAfterViews !== null && views >= this.preemptAfterViews) {
        this.preemptAfterViews = null
        this.preempt(pod.id)
      }
    }
    this.pods.set(id, pod)
    return pod
  }

  private terminate(pod: FakePod): void {
    if (pod.terminatedAt !== null) return
    pod.terminatedAt = this.opts.clock.now()
    pod.worker.kill()
  }

  private restJson(pod: FakePod): Record<string, unknown> {
    const status = this.status(pod)
    return {
      id: pod.id,
      name: pod.name,
      image: pod.image,
      status,
      cost: pod.costPerHr,
      runtime: status === 'RUNNING' ? { uptimeSeconds: Math.round((this.opts.clock.now() - pod.createdAt - this.bootMs) / 1000) } : null,
      gpu: { id: pod.gpuId, count: 1 },
      env: pod.env,
      ports: ['8188/http'],
      interruptible: pod.interruptible,
      args: '',
      disk: 60,
      registry: null,
    }
  }

  private price(gpuId: string, interruptible: boolean): number | null {
    const gpu = FAKE_CATALOG.find((g) => g.id === gpuId)
    if (!gpu) return null
    return interruptible ? gpu.secureSpotPrice : gpu.securePrice
  }

  private hasCapacity(gpuId: string): boolean {
    return this.noCapacity !== 'all' && !this.noCapacity.has(gpuId)
  }

  // Knobs that hit any control-plane call: 429 with Retry-After, then 5xx.
  private throttled(res: ServerResponse): boolean {
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--
      this.calls.rateLimited++
      sendProblem(res, 429, 'Too Many Requests', 'rate limit exceeded', { 'retry-after': String(this.retryAfterSeconds) })
      return true
    }
    if (this.serverErrorsNext > 0) {
      this.serverErrorsNext--
      this.calls.serverErrors++
      sendProblem(res, 503, 'Service Unavailable', 'upstream unavailable')
      return true
    }
    return false
  }

  protected async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const proxy = /^\/proxy\/([^/]+)(\/.*)$/.exec(url.pathname)
    if (proxy) {
      const pod = this.pods.get(proxy[1])
      if (!pod || !this.workerUp(pod) || !pod.worker.alive) return sendJson(res, 502, { error: 'Bad Gateway' })
      return pod.worker.handle(req, res, proxy[2], url.searchParams)
    }
    if (url.pathname === '/graphql') return this.graphql(req, res)
    if (!url.pathname.startsWith('/v2/')) return sendProblem(res, 404, 'Not Found', 'no such route')
    if (bearerOf(req) !== this.opts.apiKey) return sendProblem(res, 401, 'Unauthorized', 'invalid API key')
    if (this.throttled(res)) return
    const path = url.pathname.slice(3)
    if (req.method === 'GET' && path === '/catalog/gpus') {
      this.calls.catalog++
      return sendJson(res, 200, FAKE_CATALOG)
    }
    if (path === '/pods' && req.method === 'POST') return this.createPod(req, res)
    if (path === '/pods' && req.method === 'GET') return sendJson(res, 200, this.billing().map((p) => this.restJson(p)))
    const one = /^\/pods\/([^/]+)(\/action)?$/.exec(path)
    const pod = one ? this.pods.get(one[1]) : undefined
    if (!one || !pod || pod.terminatedAt !== null) return sendProblem(res, 404, 'Not Found', `pod ${one?.[1] ?? ''} not found`)
    if (one[2] && req.method === 'POST') {
      const body = (await readJson(req)) as { action?: string } | null
      if (body?.action === 'terminate') this.terminate(pod)
      else if (body?.action === 'stop') pod.exitedAt = this.opts.clock.now()
      else if (body?.action !== 'start' && body?.action !== 'restart') return sendProblem(res, 422, 'Unprocessable Entity', 'action must be start, stop, restart or terminate')
      return sendJson(res, 200, this.restJson(pod))
    }
    if (req.method === 'GET') return sendJson(res, 200, this.restJson(pod))
    if (req.method === 'DELETE') {
      this.calls.delete++
      this.terminate(pod)
      res.writeHead(204).end()
      return
    }
    return sendProblem(res, 405, 'Method Not Allowed', req.method ?? '')
  }

  private async createPod(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.calls.create++
    const body = (await readJson(req)) as { name?: unknown; image?: unknown; gpu?: { id?: unknown; count?: unknown }; env?: unknown } | null
    if (!body || typeof body.name !== 'string' || !body.name || typeof body.image !== 'string' || typeof body.gpu?.id !== 'string' || typeof body.gpu.count !== 'number') {
      return sendProblem(res, 422, 'Unprocessable Entity', 'name, image and gpu {id, count} are required')
    }
    const gpuId = body.gpu.id
    if (this.noBalance) return sendProblem(res, 402, 'Payment Required', 'insufficient balance')
    if (this.forbidden.has(gpuId)) return sendProblem(res, 403, 'Forbidden', `no access to ${gpuId}`)
    const price = this.price(gpuId, false)
    if (price === null) return sendProblem(res, 400, 'Bad Request', `unknown GPU type ${gpuId}`)
    if (!this.hasCapacity(gpuId)) return sendProblem(res, 400, 'Bad Request', `There are no instances available for ${gpuId} right now`)
    const env = body.env && typeof body.env === 'object' ? (body.env as Record<string, string>) : {}
    const pod = this.addPod({ name: body.name, image: body.image, env, gpuId, interruptible: false, costPerHr: price })
    if (this.createThenFailNext > 0) {
      this.createThenFailNext--
      return sendProblem(res, 502, 'Bad Gateway', 'upstream timed out')
    }
    return sendJson(res, 201, this.restJson(pod))
  }

  private gqlPod(pod: FakePod): Record<string, unknown> {
    const status = this.status(pod)
    const desiredStatus = status === 'EXITED' ? 'EXITED' : status === 'TERMINATED' ? 'TERMINATED' : 'RUNNING'
    return { id: pod.id, name: pod.name, desiredStatus, costPerHr: pod.costPerHr, runtime: status === 'RUNNING' ? { uptimeInSeconds: 1 } : null }
  }

  private async graphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.calls.graphql++
    if (bearerOf(req) !== this.opts.apiKey) return sendJson(res, 401, { errors: [{ message: 'Unauthorized' }] })
    if (this.throttled(res)) return
    const body = (await readJson(req)) as { query?: string; variables?: { input?: Record<string, unknown> } } | null
    const query = body?.query ?? ''
    const input = body?.variables?.input ?? {}
    if (query.includes('podRentInterruptable(')) {
      const gpuId = String(input.gpuTypeId ?? '')
      const bid = Number(input.bidPerGpu)
      if (typeof input.imageName !== 'string' || !gpuId || !Number.isFinite(bid)) {
        return sendJson(res, 200, { data: null, errors: [{ message: 'Variable "$input" got invalid value' }] })
      }
      if (this.noBalance) return sendJson(res, 200, { data: null, errors: [{ message: 'Insufficient balance to rent this pod' }] })
      const spot = this.price(gpuId, true)
      if (spot === null || !this.hasCapacity(gpuId)) {
        return sendJson(res, 200, { data: null, errors: [{ message: 'There are no longer any instances available with the requested specifications. Please refresh and try again.' }] })
      }
      if (bid < spot) return sendJson(res, 200, { data: null, errors: [{ message: `Your bid price is below the current minimum bid of ${spot}` }] })
      const env: Record<string, string> = {}
      for (const kv of (input.env as Array<{ key: string; value: string }> | undefined) ?? []) env[kv.key] = kv.value
      const pod = this.addPod({ name: String(input.name ?? ''), image: input.imageName, env, gpuId, interruptible: true, costPerHr: bid })
      return sendJson(res, 200, { data: { podRentInterruptable: { id: pod.id, name: pod.name, desiredStatus: 'RUNNING', costPerHr: bid } } })
    }
    if (query.includes('podTerminate(')) {
      const pod = this.pods.get(String(input.podId ?? ''))
      if (!pod || pod.terminatedAt !== null) return sendJson(res, 200, { data: null, errors: [{ message: 'Pod not found' }] })
      this.calls.delete++
      this.terminate(pod)
      return sendJson(res, 200, { data: { podTerminate: null } })
    }
    if (query.includes('pod(')) {
      const pod = this.pods.get(String(input.podId ?? ''))
      return sendJson(res, 200, { data: { pod: pod && pod.terminatedAt === null ? this.gqlPod(pod) : null } })
    }
    return sendJson(res, 200, { data: null, errors: [{ message: 'Cannot query field' }] })
  }
}
