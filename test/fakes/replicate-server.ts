// A fake Replicate API: official-model predictions (POST /v1/models/{owner}/{name}/predictions, `Prefer: wait`),
// GET /v1/predictions/{id}, POST /v1/predictions/{id}/cancel, the paginated list GET /v1/predictions (newest first,
// `next` carries a cursor), and output files that expire. Runs in clock time.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Clock } from '../../src/platform/clock.ts'
import { bearerOf, FakeHttpServer, readJson, sendJson, sendPng, tinyPng } from './runpod-shared.ts'
import type { GenerationLog } from './runpod-shared.ts'

interface FakePrediction {
  id: string
  model: string
  input: Record<string, unknown>
  seed: number
  createdAt: number
  end: number
  state: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled'
}

export interface FakeReplicateOptions {
  clock: Clock
  log: GenerationLog
  token: string
  predictMs?: number
}

export class FakeReplicate extends FakeHttpServer {
  // Knobs.
  predictMs: number
  rateLimitNext = 0
  retryAfterSeconds = 2
  serverErrorsNext = 0
  hangNext = 0
  // Creates take effect (the prediction runs and is billed) but their answer never arrives: `hang` keeps the
  // connection open, `drop` closes it.
  loseAnswerNext: { mode: 'hang' | 'drop'; count: number } = { mode: 'hang', count: 0 }
  pageSize = 100
  failSeeds = new Set<number>()
  outputTtlMs = 3_600_000

  readonly predictions = new Map<string, FakePrediction>()
  readonly calls = { create: 0, get: 0, cancel: 0, list: 0 }
  private readonly opts: FakeReplicateOptions
  private seq = 0

  constructor(opts: FakeReplicateOptions) {
    super()
    this.opts = opts
    this.predictMs = opts.predictMs ?? 8_000
  }

  get baseUrl(): string {
    return `${this.url}/v1`
  }

  private settle(p: FakePrediction): void {
    if (p.state === 'canceled' || p.state === 'succeeded' || p.state === 'failed') return
    const now = this.opts.clock.now()
    if (now >= p.end) {
      p.state = this.failSeeds.has(p.seed) ? 'failed' : 'succeeded'
      if (p.state === 'succeeded') this.opts.log.add(`replicate:${p.model}`, p.seed)
    } else if (now >= p.createdAt + this.predictMs * 0.2) p.state = 'processing'
  }

  private json(p: FakePrediction): Record<string, unknown> {
    const base = `${this.url}/v1/predictions/${p.id}`
    return {
      id: p.id,
      model: p.model,
      version: 'hidden',
      input: p.input,
      status: p.state,
      output: p.state === 'succeeded' ? [`${this.url}/files/${p.id}.png`] : null,
      error: p.state === 'failed' ? 'CUDA out of memory' : null,
      logs: '',
      created_at: new Date(p.createdAt).toISOString(),
      urls: { get: base, cancel: `${base}/cancel`, stream: `${this.url}/stream/${p.id}` },
      metrics: p.state === 'succeeded' ? { predict_time: this.predictMs / 1000 } : {},
    }
  }

  protected async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const file = /^\/files\/([^/]+)\.png$/.exec(url.pathname)
    if (file && req.method === 'GET') {
      const p = this.predictions.get(file[1])
      if (p) this.settle(p)
      if (!p || p.state !== 'succeeded' || this.opts.clock.now() > p.end + this.outputTtlMs) return sendJson(res, 404, { detail: 'Not found' })
      return sendPng(res, tinyPng(`seed:${p.seed}`))
    }
    if (bearerOf(req) !== this.opts.token) return sendJson(res, 401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 })
    if (this.hangNext > 0) {
      this.hangNext--
      return
    }
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--
      return sendJson(res, 429, { title: 'Request was throttled', detail: `Request was throttled. Expected available in ${this.retryAfterSeconds} seconds.`, status: 429 }, { 'retry-after': String(this.retryAfterSeconds) })
    }
    if (this.serverErrorsNext > 0) {
      this.serverErrorsNext--
      return sendJson(res, 502, { detail: 'Bad gateway', status: 502 })
    }
    const create = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(url.pathname)
    if (create && req.method === 'POST') {
      this.calls.create++
      const body = (await readJson(req)) as { input?: Record<string, unknown> } | null
      if (!body?.input || typeof body.input.prompt !== 'string') {
        return sendJson(res, 422, { title: 'Input validation failed', detail: '- input.prompt: Required', status: 422 })
      }
      const now = this.opts.clock.now()
      const p: FakePrediction = {
        id: `r${(++this.seq).toString(36)}${now.toString(36)}`,
        model: `${create[1]}/${create[2]}`,
        input: body.input,
        seed: Number(body.input.seed ?? -1),
        createdAt: now,
        end: now + this.predictMs,
        state: 'starting',
      }
      this.predictions.set(p.id, p)
      if (this.loseAnswerNext.count > 0) {
        this.loseAnswerNext.count--
        if (this.loseAnswerNext.mode === 'drop') req.socket.destroy()
        return
      }
      const wait = /wait(?:=(\d+))?/.exec(String(req.headers.prefer ?? ''))
      if (!wait) return sendJson(res, 201, this.json(p))
      const deadline = now + Math.min(60, Number(wait[1] ?? 60)) * 1000
      const check = () => {
        this.settle(p)
        const done = p.state === 'succeeded' || p.state === 'failed' || p.state === 'canceled'
        if (done || this.opts.clock.now() >= deadline || res.destroyed) {
          if (!res.destroyed) sendJson(res, 201, this.json(p))
          return
        }
        this.opts.clock.setTimeout(check, 500)
      }
      return check()
    }
    if (url.pathname === '/v1/predictions' && req.method === 'GET') {
      this.calls.list++
      const newest = [...this.predictions.values()].reverse()
      const from = Number(url.searchParams.get('cursor') ?? 0)
      const page = newest.slice(from, from + this.pageSize)
      for (const p of page) this.settle(p)
      const more = from + this.pageSize < newest.length
      return sendJson(res, 200, { previous: null, next: more ? `${this.url}/v1/predictions?cursor=${from + this.pageSize}` : null, results: page.map((p) => this.json(p)) })
    }
    const one = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(url.pathname)
    const p = one ? this.predictions.get(one[1]) : undefined
    if (!one || !p) return sendJson(res, 404, { detail: 'Not found', status: 404 })
    this.settle(p)
    if (one[2] && req.method === 'POST') {
      this.calls.cancel++
      if (p.state === 'starting' || p.state === 'processing') p.state = 'canceled'
      return sendJson(res, 200, this.json(p))
    }
    if (req.method === 'GET') {
      this.calls.get++
      return sendJson(res, 200, this.json(p))
    }
    return sendJson(res, 405, { detail: 'Method not allowed' })
  }
}
