// A fake ComfyUI worker speaking ComfyUI's HTTP API: POST /prompt, GET /history/{id}, GET /view, GET /system_stats,
// POST /queue {delete}, POST /interrupt. Prompts run one at a time in the injected clock's time.
// It serves a user's local ComfyUI (startComfyServer) and each fake pod behind the RunPod proxy (runpod-pods.ts).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Clock } from '../../src/platform/clock.ts'
import { bearerOf, isWorkflow, listen, readJson, sendJson, sendPng, seedOfWorkflow, tinyPng } from './runpod-shared.ts'
import type { GenerationLog, Listening } from './runpod-shared.ts'

interface Prompt {
  id: string
  seed: number
  start: number
  end: number
  state: 'pending' | 'success' | 'error' | 'cancelled'
}

export interface ComfyWorkerOptions {
  clock: Clock
  log: GenerationLog
  // Tags this worker's generations in the log ("pod:abc", "local").
  where: string
  genMs: number
  token?: string | null
}

export class FakeComfyWorker {
  // Knobs.
  genMs: number
  failSeeds = new Set<number>()
  // Called after each image is served; a test preempts a pod from here at a chosen moment.
  onView: ((views: number) => void) | null = null

  submitted = 0
  views = 0
  alive = true
  private readonly opts: ComfyWorkerOptions
  private readonly prompts = new Map<string, Prompt>()
  private lastEnd = 0
  private seq = 0

  constructor(opts: ComfyWorkerOptions) {
    this.opts = opts
    this.genMs = opts.genMs
  }

  // Finishes, in clock time, every prompt whose end has passed.
  settle(): void {
    if (!this.alive) return
    const now = this.opts.clock.now()
    for (const p of this.prompts.values()) {
      if (p.state !== 'pending' || p.end > now) continue
      p.state = this.failSeeds.has(p.seed) ? 'error' : 'success'
      if (p.state === 'success') this.opts.log.add(this.opts.where, p.seed)
    }
  }

  // The machine is gone: what finished counts, nothing else ever will.
  kill(): void {
    this.settle()
    this.alive = false
  }

  pendingCount(): number {
    return [...this.prompts.values()].filter((p) => p.state === 'pending').length
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (!this.alive) return sendJson(res, 502, { error: 'bad gateway' })
    if (this.opts.token && bearerOf(req) !== this.opts.token) return sendJson(res, 401, { error: 'unauthorized' })
    this.settle()
    const now = this.opts.clock.now()
    if (req.method === 'GET' && path === '/system_stats') {
      return sendJson(res, 200, {
        system: { os: 'posix', comfyui_version: '0.3.60', python_version: '3.12', embedded_python: false },
        devices: [{ name: 'cuda:0 NVIDIA A40', type: 'cuda', index: 0, vram_total: 48e9, vram_free: 40e9 }],
      })
    }
    if (req.method === 'POST' && path === '/prompt') {
      const body = (await readJson(req)) as { prompt?: unknown } | null
      if (!isWorkflow(body?.prompt)) {
        return sendJson(res, 400, { error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '' }, node_errors: {} })
      }
      const id = `p${++this.seq}-${now.toString(36)}`
      const start = Math.max(now, this.lastEnd)
      const end = start + this.genMs
      this.lastEnd = end
      this.prompts.set(id, { id, seed: seedOfWorkflow(body.prompt) ?? -1, start, end, state: 'pending' })
      this.submitted++
      return sendJson(res, 200, { prompt_id: id, number: this.seq, node_errors: {} })
    }
    const history = /^\/history\/([^/]+)$/.exec(path)
    if (req.method === 'GET' && history) {
      const p = this.prompts.get(decodeURIComponent(history[1]))
      if (!p || p.state === 'pending' || p.state === 'cancelled') return sendJson(res, 200, {})
      const entry = p.state === 'success'
        ? { outputs: { '9': { images: [{ filename: `kitsumy_${p.id}.png`, subfolder: '', type: 'output' }] } }, status: { status_str: 'success', completed: true, messages: [] } }
        : { outputs: {}, status: { status_str: 'error', completed: false, messages: [['execution_error', { exception_message: 'CUDA out of memory' }]] } }
      return sendJson(res, 200, { [p.id]: { prompt: [this.seq, p.id, {}, {}, ['9']], ...entry } })
    }
    if (req.method === 'GET' && path === '/view') {
      const name = /^kitsumy_(.+)\.png$/.exec(query.get('filename') ?? '')
      const p = name ? this.prompts.get(name[1]) : undefined
      if (!p || p.state !== 'success' || query.get('type') !== 'output') return sendJson(res, 404, { error: 'not found' })
      sendPng(res, tinyPng(`seed:${p.seed}`))
      this.views++
      this.onView?.(this.views)
      return
    }
    if (req.method === 'POST' && (path === '/queue' || path === '/interrupt')) {
      const body = (await readJson(req)) as { delete?: string[]; prompt_id?: string } | null
      for (const id of body?.delete ?? (body?.prompt_id ? [body.prompt_id] : [])) {
        const p = this.prompts.get(id)
        if (p?.state === 'pending') p.state = 'cancelled'
      }
      return sendJson(res, 200, {})
    }
    return sendJson(res, 404, { error: `no route ${req.method} ${path}` })
  }
}

export interface FakeComfyServer extends Listening {
  worker: FakeComfyWorker
}

// A user's own ComfyUI on loopback.
export async function startComfyServer(opts: ComfyWorkerOptions): Promise<FakeComfyServer> {
  const worker = new FakeComfyWorker(opts)
  const l = await listen((req, res, url) => worker.handle(req, res, url.pathname, url.searchParams))
  return { ...l, worker }
}
