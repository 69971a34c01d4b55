import { z } from 'zod'
import type { ImageRequest } from '../contract/index.ts'
import { KitsumyError } from '../contract/errors.ts'
import type { Clock } from '../platform/clock.ts'
import type { GenerateOptions, ImageEngine, ImageResult } from './engine.ts'
import { bearer, downloadImage, parseJson, send, sleep, statusError, withRetry } from './http.ts'
import type { HttpCall } from './http.ts'

export const PredictionStatus = z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted'])

export const Prediction = z.object({
  id: z.string().min(1),
  status: PredictionStatus,
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  urls: z.object({ get: z.string().optional(), cancel: z.string().optional() }).passthrough().optional(),
}).passthrough()
export type Prediction = z.infer<typeof Prediction>

// GET /v1/predictions: this token's predictions, newest first, 100 a page.
const PredictionPage = z.object({
  next: z.string().nullable().optional(),
  results: z.array(Prediction.extend({
    model: z.string().optional(),
    input: z.record(z.string(), z.unknown()).optional(),
    created_at: z.string().optional(),
  })),
}).passthrough()
type Listed = z.infer<typeof PredictionPage>['results'][number]

export interface ReplicateClientOptions {
  baseUrl: string
  apiToken: string
  clock: Clock
  requestTimeoutMs: number
}

const SERVICE = 'Replicate'

export class ReplicateClient {
  private readonly opts: ReplicateClientOptions
  private readonly base: string

  constructor(opts: ReplicateClientOptions) {
    this.opts = opts
    this.base = opts.baseUrl.replace(/\/+$/, '')
  }

  private call(url: string, extra: Partial<HttpCall> = {}): HttpCall {
    return { url, headers: bearer(this.opts.apiToken), timeoutMs: this.opts.requestTimeoutMs, service: SERVICE, secrets: [this.opts.apiToken], ...extra }
  }

  private async prediction(call: HttpCall, notFound: () => KitsumyError): Promise<Prediction> {
    const res = await send(call)
    if (res.status === 404) throw notFound()
    if (res.status === 422) throw new KitsumyError('bad_input', statusError(res, call).message)
    if (res.status < 200 || res.status >= 300) throw statusError(res, call, this.opts.clock.now())
    return parseJson(res, Prediction, SERVICE)
  }

  // Official models take no version; `Prefer: wait` holds the call until done or waitSeconds (≤ 60).
  create(model: string, input: Record<string, unknown>, opts: { waitSeconds: number; signal?: AbortSignal }): Promise<Prediction> {
    const [owner, name] = model.split('/')
    if (!owner || !name) throw new KitsumyError('bad_input', `${SERVICE}: model must be owner/name, got "${model}"`)
    const wait = Math.min(60, Math.max(1, Math.round(opts.waitSeconds)))
    return this.prediction(this.call(`${this.base}/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/predictions`, {
      method: 'POST',
      json: { input },
      headers: { ...bearer(this.opts.apiToken), prefer: `wait=${wait}` },
      signal: opts.signal,
      timeoutMs: wait * 1000 + this.opts.requestTimeoutMs,
    }), () => new KitsumyError('not_found', `${SERVICE}: model ${model} not found`, { retryable: false }))
  }

  // A URL the server hands back is followed only on our configured host: the token must not travel anywhere else.
  private onOwnHost(given: string): boolean {
    try {
      return new URL(given).origin === new URL(this.base).origin
    } catch {
      return false
    }
  }

  private urlFor(p: Prediction, kind: 'get' | 'cancel'): string {
    const given = p.urls?.[kind]
    const own = `${this.base}/predictions/${encodeURIComponent(p.id)}${kind === 'cancel' ? '/cancel' : ''}`
    return given && this.onOwnHost(given) ? given : own
  }

  // The prediction of `model` with these inputs created since `sinceMs`, if the list shows one: a create whose
  // answer was lost may have started it. Reads at most `pages` pages, stopping at the first older prediction.
  async find(model: string, input: Record<string, unknown>, sinceMs: number, opts: { skip: ReadonlySet<string>; pages?: number; signal?: AbortSignal }): Promise<Prediction | null> {
    let url: string | null = `${this.base}/predictions`
    for (let page = 0; url && page < (opts.pages ?? 3); page++) {
      const call = this.call(url, { signal: opts.signal })
      const res = await send(call)
      if (res.status < 200 || res.status >= 300) throw statusError(res, call, this.opts.clock.now())
      const { results, next } = parseJson(res, PredictionPage, SERVICE)
      for (const p of results) {
        const created = p.created_at ? Date.parse(p.created_at) : NaN
        if (created < sinceMs) return null
        if (!opts.skip.has(p.id) && sameRequest(p, model, input)) return p
      }
      url = next && this.onOwnHost(next) ? next : null
    }
    return null
  }

  get(p: Prediction, signal?: AbortSignal): Promise<Prediction> {
    return this.prediction(this.call(this.urlFor(p, 'get'), { signal }), () =>
      new KitsumyError('lost', `${SERVICE}: prediction ${p.id} is gone (HTTP 404)`, { retryable: false }))
  }

  async cancel(p: Prediction): Promise<void> {
    const call = this.call(this.urlFor(p, 'cancel'), { method: 'POST', timeoutMs: Math.min(10_000, this.opts.requestTimeoutMs) })
    const res = await send(call)
    if (res.status >= 400 && res.status !== 404) throw statusError(res, call, this.opts.clock.now())
  }
}

const ASPECTS = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'] as const

// Flux on Replicate takes an aspect ratio, not pixel sizes.
export function nearestAspect(width: number, height: number): string {
  const want = Math.log(width / height)
  let best: string = ASPECTS[0]
  let bestDiff = Infinity
  for (const a of ASPECTS) {
    const [w, h] = a.split(':').map(Number)
    const diff = Math.abs(Math.log(w / h) - want)
    if (diff < bestDiff) {
      best = a
      bestDiff = diff
    }
  }
  return best
}

export function replicateInput(request: ImageRequest): Record<string, unknown> {
  return {
    prompt: request.prompt,
    seed: request.seed,
    aspect_ratio: nearestAspect(request.width, request.height),
    num_outputs: 1,
    output_format: 'png',
    disable_safety_checker: false,
  }
}

// The inputs that decide the picture; the list may echo the others with defaults filled in.
const PICTURE_INPUTS = ['prompt', 'seed', 'aspect_ratio'] as const

function sameRequest(p: Listed, model: string, input: Record<string, unknown>): boolean {
  return p.model === model && p.input !== undefined && PICTURE_INPUTS.every((k) => p.input![k] === input[k])
}

function firstUrl(output: unknown): string | null {
  if (typeof output === 'string') return output
  if (Array.isArray(output) && typeof output[0] === 'string') return output[0]
  return null
}

export interface ReplicateEngineOptions {
  client: ReplicateClient
  // An official model, e.g. black-forest-labs/flux-dev.
  model: string
  clock: Clock
  waitSeconds: number
  pollMs: number
  maxWaitMs: number
  downloadTimeoutMs: number
  pricePerImage: number
}

// How far Replicate's clock may run behind ours when its list is searched for a prediction we started.
const CLOCK_SKEW_MS = 120_000
// Replicate deletes outputs an hour after a prediction: an older one cannot be followed.
const OUTPUT_LIFETIME_MS = 3_600_000
const FOLLOWABLE = new Set(['starting', 'processing', 'succeeded'])
const NONE: ReadonlySet<string> = new Set()
// Predictions this engine already holds an answer for: never taken for a lost one.
const KNOWN_LIMIT = 1_000

// Replicate's official Flux models; output files are deleted after an hour, so they are fetched right away.
export class ReplicateEngine implements ImageEngine {
  readonly id = 'replicate' as const
  private readonly opts: ReplicateEngineOptions
  private readonly known = new Set<string>()

  constructor(opts: ReplicateEngineOptions) {
    this.opts = opts
  }

  private remember(p: Prediction): Prediction {
    this.known.add(p.id)
    if (this.known.size > KNOWN_LIMIT) this.known.delete(this.known.values().next().value!)
    return p
  }

  // Replicate has no idempotency key: a create that timed out or lost its connection may still have started a
  // prediction, billed once it runs. It is looked up and followed instead of being paid for again by a retry.
  private async submit(request: ImageRequest, signal: AbortSignal, resumable: boolean): Promise<Prediction> {
    const { client, clock, model } = this.opts
    const input = replicateInput(request)
    // Any earlier prediction of this very picture will do, one this engine saw too (its download was cut off).
    if (resumable) {
      const earlier = await client.find(model, input, clock.now() - OUTPUT_LIFETIME_MS + CLOCK_SKEW_MS, { skip: NONE, signal }).catch(() => null)
      if (earlier && FOLLOWABLE.has(earlier.status)) return this.remember(earlier)
    }
    const since = clock.now() - CLOCK_SKEW_MS
    try {
      return this.remember(await withRetry(
        () => client.create(model, input, { waitSeconds: this.opts.waitSeconds, signal }),
        { clock, attempts: 5, baseMs: 1_000, maxMs: 30_000, idempotent: false, signal },
      ))
    } catch (err) {
      if (!(err instanceof KitsumyError) || (err.code !== 'timeout' && err.code !== 'lost')) throw err
      for (let look = 0; look < 2; look++) {
        if (look > 0) await sleep(clock, this.opts.pollMs, signal)
        const found = await client.find(model, input, since, { skip: this.known, signal }).catch(() => null)
        if (found) return this.remember(found)
      }
      throw err
    }
  }

  async generate(request: ImageRequest, options: GenerateOptions): Promise<ImageResult> {
    const { client, clock, signal } = { ...this.opts, signal: options.signal }
    let p = await this.submit(request, signal, options.resumable === true)
    const started = clock.now()
    try {
      while (p.status === 'starting' || p.status === 'processing') {
        if (clock.now() - started >= this.opts.maxWaitMs) {
          await client.cancel(p).catch(() => undefined)
          throw new KitsumyError('timeout', `${SERVICE}: no result after ${Math.round(this.opts.maxWaitMs / 1000)} s`)
        }
        if (p.status === 'processing') options.onProgress?.(0.5)
        await sleep(clock, this.opts.pollMs, signal)
        const current = p
        p = await withRetry(() => client.get(current, signal), { clock, attempts: 6, baseMs: this.opts.pollMs, maxMs: 30_000, idempotent: true, signal })
      }
    } catch (err) {
      if (signal.aborted) {
        await client.cancel(p).catch(() => undefined)
        throw new KitsumyError('cancelled', `${SERVICE}: cancelled`, { cause: err })
      }
      throw err
    }
    if (p.status === 'failed') {
      throw new KitsumyError('bad_response', `${SERVICE}: the prediction failed${typeof p.error === 'string' ? `: ${p.error.slice(0, 200)}` : ''}`)
    }
    if (p.status === 'canceled' || p.status === 'aborted') throw new KitsumyError('cancelled', `${SERVICE}: the prediction was ${p.status}`)
    const url = firstUrl(p.output)
    if (!url) throw new KitsumyError('bad_response', `${SERVICE}: the prediction succeeded without an output URL`)
    const image = await downloadImage(url, { timeoutMs: this.opts.downloadTimeoutMs, signal, service: 'Replicate output' })
    options.onProgress?.(1)
    return { ...image, costUsd: this.opts.pricePerImage, provider: `replicate:${this.opts.model}` }
  }
}
