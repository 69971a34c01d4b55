import { z } from 'zod'
import type { ImageRequest } from '../contract/index.ts'
import { KitsumyError } from '../contract/errors.ts'
import type { Clock } from '../platform/clock.ts'
import type { GenerateOptions, ImageEngine, ImageResult } from './engine.ts'
import { downloadImage, withRetry } from './http.ts'
import { waitForJob } from './runpod-serverless.ts'
import type { RunpodServerlessClient } from './runpod-serverless.ts'

export const FLUX_ENDPOINTS = {
  'flux-1-dev': 'black-forest-labs-flux-1-dev',
  'flux-1-schnell': 'black-forest-labs-flux-1-schnell',
} as const
export type FluxModel = keyof typeof FLUX_ENDPOINTS

const FluxOutput = z.object({ image_url: z.string().min(1), cost: z.number().nonnegative().optional() }).passthrough()

// The public endpoint accepts 256–1536 px in steps of 64.
export function fluxSide(px: number): number {
  return Math.min(1536, Math.max(256, Math.round(px / 64) * 64))
}

export function fluxInput(request: ImageRequest, model: FluxModel): Record<string, unknown> {
  return {
    prompt: request.prompt,
    negative_prompt: request.negative,
    width: fluxSide(request.width),
    height: fluxSide(request.height),
    num_inference_steps: model === 'flux-1-schnell' ? 4 : 28,
    guidance: model === 'flux-1-schnell' ? 0 : 3.5,
    seed: request.seed,
    image_format: 'png',
  }
}

export interface RunpodFluxOptions {
  // A client whose endpointId is one of FLUX_ENDPOINTS.
  client: RunpodServerlessClient
  model: FluxModel
  clock: Clock
  // How long /runsync may hold the call before we fall back to polling /status.
  syncWaitMs: number
  pollMs: number
  maxWaitMs: number
  stuckQueueMs: number
  downloadTimeoutMs: number
  // Used only when the endpoint leaves out `cost`: $ per megapixel (Flux Dev ≈ 0.02, Schnell ≈ 0.0024).
  pricePerMegapixel: number
}

// RunPod's hosted Flux: no worker of ours, priced per megapixel; the result URL lives about a minute after /runsync.
export class RunpodFluxEngine implements ImageEngine {
  readonly id = 'runpod-flux' as const
  private readonly opts: RunpodFluxOptions

  constructor(opts: RunpodFluxOptions) {
    this.opts = opts
  }

  async generate(request: ImageRequest, options: GenerateOptions): Promise<ImageResult> {
    const { client, clock, model } = this.opts
    const input = fluxInput(request, model)
    const first = await withRetry(
      () => client.runsync(input, { signal: options.signal, waitMs: this.opts.syncWaitMs }),
      { clock, attempts: 5, baseMs: 1_000, maxMs: 30_000, idempotent: false, signal: options.signal },
    )
    const done = await waitForJob(client, first, { ...this.opts, signal: options.signal, onProgress: options.onProgress })
    const out = FluxOutput.safeParse(done.output)
    if (!out.success) throw new KitsumyError('bad_response', `RunPod ${FLUX_ENDPOINTS[model]}: no image_url in the output`)
    const image = await downloadImage(out.data.image_url, { timeoutMs: this.opts.downloadTimeoutMs, signal: options.signal, service: 'RunPod Flux result' })
    options.onProgress?.(1)
    const megapixels = (Number(input.width) * Number(input.height)) / 1_000_000
    return { ...image, costUsd: out.data.cost ?? megapixels * this.opts.pricePerMegapixel, provider: `runpod:${FLUX_ENDPOINTS[model]}` }
  }
}
