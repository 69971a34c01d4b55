import { z } from 'zod'
import { KitsumyError } from '../contract/errors.ts'
import type { Clock } from '../platform/clock.ts'
import { bearer, detailOf, parseJson, retryAfterOf, send, withRetry } from '../art/http.ts'
import type { HttpCall, HttpResponse } from '../art/http.ts'

export const PodStatus = z.enum(['PROVISIONING', 'STARTING', 'RUNNING', 'EXITED', 'ERROR', 'TERMINATED'])
export type PodStatus = z.infer<typeof PodStatus>

export const RestPod = z.object({
  id: z.string().min(1),
  name: z.string().default(''),
  status: PodStatus,
  // $/hr while running.
  cost: z.number().nullable().optional(),
  // null until the container runs.
  runtime: z.unknown().nullable().optional(),
  gpu: z.object({ id: z.string(), count: z.number().int() }).nullable().optional(),
  env: z.record(z.string(), z.string()).nullable().optional(),
  interruptible: z.boolean().optional(),
}).passthrough()
export type RestPod = z.infer<typeof RestPod>

const PodList = z.union([z.array(RestPod), z.object({ pods: z.array(RestPod) }), z.object({ items: z.array(RestPod) }), z.object({ data: z.array(RestPod) })])
  .transform((v) => (Array.isArray(v) ? v : 'pods' in v ? v.pods : 'items' in v ? v.items : v.data))

// One GPU type from GET /catalog/gpus, read leniently: prices in $/hr (pods) and $/s (serverless flex).
export const CatalogGpu = z.object({
  id: z.string().min(1),
  displayName: z.string().optional(),
  memoryInGb: z.number().optional(),
  securePrice: z.number().nullable().optional(),
  communityPrice: z.number().nullable().optional(),
  secureSpotPrice: z.number().nullable().optional(),
  communitySpotPrice: z.number().nullable().optional(),
  serverlessFlexPricePerSecond: z.number().nullable().optional(),
  stockStatus: z.string().nullable().optional(),
}).passthrough()
export type CatalogGpu = z.infer<typeof CatalogGpu>

const CatalogList = z.union([z.array(CatalogGpu), z.object({ gpus: z.array(CatalogGpu) }), z.object({ items: z.array(CatalogGpu) }), z.object({ data: z.array(CatalogGpu) })])
  .transform((v) => (Array.isArray(v) ? v : 'gpus' in v ? v.gpus : 'items' in v ? v.items : v.data))

export interface CreatePodSpec {
  name: string
  image: string
  gpuTypeId: string
  gpuCount: number
  ports: string[]
  env: Record<string, string>
  cloud: 'SECURE' | 'COMMUNITY'
  diskGb: number
}

export interface RunpodRestOptions {
  baseUrl: string
  apiKey: string
  clock: Clock
  requestTimeoutMs: number
  retryAttempts?: number
  retryBaseMs?: number
}

const SERVICE = 'RunPod API'

// RFC 9457 problems mapped to what the caller must do next:
// 400 (a rule or no capacity) and 403 (no access) → try the next GPU type; 402 → stop renting; 422 → a bug, never retry.
export function podApiError(res: HttpResponse, secrets: readonly string[], nowMs: number): KitsumyError {
  const detail = detailOf(res, secrets)
  const msg = `${SERVICE}: HTTP ${res.status}${detail ? ` — ${detail}` : ''}`
  switch (res.status) {
    case 400: return new KitsumyError('capacity', msg, { retryable: false })
    case 401: return new KitsumyError('auth', `${msg} (check the RunPod API key)`)
    case 402: return new KitsumyError('no_balance', `${msg} (add funds to the RunPod account)`)
    case 403: return new KitsumyError('unauthorized', msg, { retryable: false })
    case 404: return new KitsumyError('not_found', msg)
    case 422: return new KitsumyError('bad_input', msg, { retryable: false })
    case 429: return new KitsumyError('rate_limit', msg, { retryAfterMs: retryAfterOf(res, nowMs) })
    default:
      return res.status >= 500 ? new KitsumyError('bad_response', msg) : new KitsumyError('bad_input', msg, { retryable: false })
  }
}

// RunPod REST v2: on-demand pods and the GPU catalog.
export class RunpodRestClient {
  private readonly opts: RunpodRestOptions
  private readonly base: string

  constructor(opts: RunpodRestOptions) {
    this.opts = opts
    this.base = opts.baseUrl.replace(/\/+$/, '')
  }

  private async exchange(method: HttpCall['method'], path: string, json?: unknown): Promise<HttpResponse> {
    const res = await send({
      method,
      url: `${this.base}${path}`,
      headers: bearer(this.opts.apiKey),
      json,
      timeoutMs: this.opts.requestTimeoutMs,
      service: SERVICE,
      secrets: [this.opts.apiKey],
    })
    return res
  }

  private fail(res: HttpResponse): never {
    throw podApiError(res, [this.opts.apiKey], this.opts.clock.now())
  }

  private retry<T>(fn: () => Promise<T>, idempotent: boolean): Promise<T> {
    return withRetry(fn, { clock: this.opts.clock, attempts: this.opts.retryAttempts ?? 4, baseMs: this.opts.retryBaseMs ?? 2_000, maxMs: 60_000, idempotent })
  }

  // A 5xx after POST may still have made the pod; its unique name tells us, so a retry never rents twice.
  async createPod(spec: CreatePodSpec): Promise<RestPod> {
    const body = { name: spec.name, image: spec.image, gpu: { id: spec.gpuTypeId, count: spec.gpuCount }, ports: spec.ports, env: spec.env, cloud: spec.cloud, disk: spec.diskGb }
    const findMade = async () => (await this.listPods()).find((p) => p.name === spec.name) ?? null
    return this.retry(async () => {
      let res: HttpResponse
      try {
        res = await this.exchange('POST', '/pods', body)
      } catch (err) {
        const made = err instanceof KitsumyError && (err.code === 'timeout' || err.code === 'lost') ? await findMade() : null
        if (made) return made
        throw err
      }
      if (res.status >= 500) {
        const made = await findMade()
        if (made) return made
      }
      if (res.status < 200 || res.status >= 300) this.fail(res)
      return parseJson(res, RestPod, SERVICE)
    }, true)
  }

  listPods(): Promise<RestPod[]> {
    return this.retry(async () => {
      const res = await this.exchange('GET', '/pods')
      if (res.status !== 200) this.fail(res)
      return parseJson(res, PodList, SERVICE)
    }, true)
  }

  // null when RunPod no longer knows the pod (terminated and forgotten).
  getPod(id: string): Promise<RestPod | null> {
    return this.retry(async () => {
      const res = await this.exchange('GET', `/pods/${encodeURIComponent(id)}`)
      if (res.status === 404) return null
      if (res.status !== 200) this.fail(res)
      return parseJson(res, RestPod, SERVICE)
    }, true)
  }

  // Terminating twice is fine: a pod already gone is the outcome we want.
  terminatePod(id: string): Promise<void> {
    return this.retry(async () => {
      const res = await this.exchange('DELETE', `/pods/${encodeURIComponent(id)}`)
      if (res.status === 404) return
      if (res.status < 200 || res.status >= 300) this.fail(res)
    }, true)
  }

  podAction(id: string, action: 'start' | 'stop' | 'restart' | 'terminate'): Promise<void> {
    return this.retry(async () => {
      const res = await this.exchange('POST', `/pods/${encodeURIComponent(id)}/action`, { action })
      if (res.status < 200 || res.status >= 300) this.fail(res)
    }, action !== 'start')
  }

  listGpuTypes(): Promise<CatalogGpu[]> {
    return this.retry(async () => {
      const res = await this.exchange('GET', '/catalog/gpus')
      if (res.status !== 200) this.fail(res)
      return parseJson(res, CatalogList, SERVICE)
    }, true)
  }
}
