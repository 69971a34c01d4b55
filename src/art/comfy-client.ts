import { z } from 'zod'
import type { EngineId, ImageRequest } from '../contract/index.ts'
import { KitsumyError } from '../contract/errors.ts'
import type { Clock } from '../platform/clock.ts'
import type { GenerateOptions, ImageEngine, ImageMime, ImageResult } from './engine.ts'
import { bearer, callJson, imageFrom, parseJson, send, sleep, statusError, withRetry } from './http.ts'
import type { HttpCall } from './http.ts'

// Builds the ComfyUI API-format graph for a request (from the style's template); injected so this client stays style-agnostic.
export type WorkflowFor = (request: ImageRequest) => Record<string, unknown>

export interface ComfyClientOptions {
  baseUrl: string
  // A pod's proxy URL is public, so our worker template checks a token of our own (never the RunPod key).
  token?: string | null
  clock: Clock
  pollMs: number
  requestTimeoutMs: number
  // How long one prompt may take from submit to image, queue time included.
  maxWaitMs: number
  service?: string
}

const PromptAccepted = z.object({ prompt_id: z.string().min(1) })

const OutputFile = z.object({ filename: z.string(), subfolder: z.string().default(''), type: z.string().default('output') })
export type ComfyOutputFile = z.infer<typeof OutputFile>

const HistoryEntry = z.object({
  outputs: z.record(z.string(), z.object({ images: z.array(OutputFile).optional() }).passthrough()).default({}),
  status: z.object({
    status_str: z.string().optional(),
    completed: z.boolean().optional(),
    messages: z.array(z.unknown()).optional(),
  }).optional(),
})
const History = z.record(z.string(), HistoryEntry)

export const SystemStats = z.object({
  system: z.object({ comfyui_version: z.string().optional() }).passthrough(),
  devices: z.array(z.object({ name: z.string(), vram_total: z.number().optional(), vram_free: z.number().optional() }).passthrough()).default([]),
})
export type SystemStats = z.infer<typeof SystemStats>

// ComfyUI's own HTTP API, spoken to a pod through the RunPod proxy or to the user's local ComfyUI.
// The proxy cuts requests at 100 s, so everything is submit-then-poll with short calls.
export class ComfyClient {
  readonly baseUrl: string
  private readonly opts: ComfyClientOptions
  private readonly service: string

  constructor(opts: ComfyClientOptions) {
    this.opts = opts
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '')
    this.service = opts.service ?? 'ComfyUI'
  }

  private call(path: string, extra: Partial<HttpCall> = {}): HttpCall {
    return {
      url: `${this.baseUrl}${path}`,
      headers: this.opts.token ? bearer(this.opts.token) : {},
      timeoutMs: this.opts.requestTimeoutMs,
      service: this.service,
      secrets: this.opts.token ? [this.opts.token] : [],
      ...extra,
    }
  }

  async health(signal?: AbortSignal): Promise<SystemStats> {
    return callJson(this.call('/system_stats', { signal }), SystemStats)
  }

  async submit(workflow: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
    const res = await send(this.call('/prompt', { method: 'POST', json: { prompt: workflow, client_id: 'kitsumy' }, signal }))
    if (res.status === 400) {
      const err = statusError(res, this.call(''))
      throw new KitsumyError('bad_input', `${this.service}: the workflow was rejected — ${err.message}`)
    }
    if (res.status < 200 || res.status >= 300) throw statusError(res, this.call(''))
    return parseJson(res, PromptAccepted, this.service).prompt_id
  }

  // null while the prompt is queued or running: ComfyUI adds it to the history only when it ends.
  async history(promptId: string, signal?: AbortSignal): Promise<z.infer<typeof HistoryEntry> | null> {
    const all = await callJson(this.call(`/history/${encodeURIComponent(promptId)}`, { signal }), History)
    return all[promptId] ?? null
  }

  async waitForOutputs(promptId: string, signal: AbortSignal): Promise<ComfyOutputFile[]> {
    const { clock } = this.opts
    const deadline = clock.now() + this.opts.maxWaitMs
    for (;;) {
      const entry = await withRetry(() => this.history(promptId, signal), { clock, attempts: 3, baseMs: this.opts.pollMs, maxMs: 10_000, idempotent: true, signal })
      if (entry) {
        const status = entry.status?.status_str
        if (status === 'error') {
          throw new KitsumyError('bad_response', `${this.service}: the workflow failed while running${describeMessages(entry.status?.messages)}`)
        }
        const files = Object.values(entry.outputs).flatMap((o) => o.images ?? []).filter((f) => f.type === 'output')
        if (files.length > 0) return files
        if (entry.status?.completed) throw new KitsumyError('bad_response', `${this.service}: the workflow finished without an output image`)
      }
      if (clock.now() >= deadline) {
        await this.cancel(promptId)
        throw new KitsumyError('timeout', `${this.service}: no image after ${Math.round(this.opts.maxWaitMs / 1000)} s`)
      }
      await sleep(clock, this.opts.pollMs, signal)
    }
  }

  async view(file: ComfyOutputFile, signal?: AbortSignal): Promise<{ bytes: Uint8Array; mime: ImageMime }> {
    const q = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder, type: file.type })
    const res = await send(this.call(`/view?${q}`, { signal, headers: { ...(this.opts.token ? bearer(this.opts.token) : {}), accept: 'image/*' } }))
    if (res.status < 200 || res.status >= 300) throw statusError(res, this.call(''))
    return imageFrom(new Uint8Array(res.body), this.service)
  }

  // Best effort: drop the prompt from the queue, and stop it if it is the one running.
  async cancel(promptId: string): Promise<void> {
    const quiet = { timeoutMs: Math.min(5_000, this.opts.requestTimeoutMs) }
    await send(this.call('/queue', { method: 'POST', json: { delete: [promptId] }, ...quiet })).catch(() => undefined)
    await send(this.call('/interrupt', { method: 'POST', json: { prompt_id: promptId }, ...quiet })).catch(() => undefined)
  }

  async run(workflow: Record<string, unknown>, signal: AbortSignal): Promise<{ bytes: Uint8Array; mime: ImageMime }> {
    const promptId = await this.submit(workflow, signal)
    try {
      const files = await this.waitForOutputs(promptId, signal)
      return await this.view(files[0], signal)
    } catch (err) {
      // Not awaited: when the pod itself is gone, the image must move on without waiting for its corpse.
      if (signal.aborted) void this.cancel(promptId)
      throw err
    }
  }
}

function describeMessages(messages: unknown[] | undefined): string {
  const err = messages?.find((m) => Array.isArray(m) && m[0] === 'execution_error') as [string, { exception_message?: string }] | undefined
  const text = err?.[1]?.exception_message
  return text ? `: ${String(text).slice(0, 200)}` : ''
}

export interface ComfyEngineOptions {
  id: Extract<EngineId, 'pod' | 'comfy-local'>
  client: ComfyClient
  workflowFor: WorkflowFor
  provider: string
}

// A pod's or the user's own ComfyUI as an ImageEngine; pod time is billed by the pod manager, so the image itself costs 0 here.
export class ComfyEngine implements ImageEngine {
  readonly id: Extract<EngineId, 'pod' | 'comfy-local'>
  private readonly opts: ComfyEngineOptions

  constructor(opts: ComfyEngineOptions) {
    this.id = opts.id
    this.opts = opts
  }

  async generate(request: ImageRequest, options: GenerateOptions): Promise<ImageResult> {
    const image = await this.opts.client.run(this.opts.workflowFor(request), options.signal)
    options.onProgress?.(1)
    return { ...image, costUsd: 0, provider: this.opts.provider }
  }
}
