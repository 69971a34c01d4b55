import type { ImageRequest, StudioEvent } from '../../src/contract/index.ts'
import type { Clock, ManualClock } from '../../src/platform/clock.ts'

// Runs real HTTP against the fakes while moving a ManualClock: a few turns of the event loop let loopback I/O through,
// then time jumps to the next timer (at most maxStepMs, so nothing skips far past work still in flight).
export async function drive<T>(clock: ManualClock, work: Promise<T>, opts: { maxStepMs?: number; limitMs?: number } = {}): Promise<T> {
  const maxStep = opts.maxStepMs ?? 1_000
  const limit = clock.now() + (opts.limitMs ?? 6 * 3_600_000)
  let settled = false
  const watched = work.finally(() => {
    settled = true
  })
  watched.catch(() => undefined)
  while (!settled) {
    for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r))
    if (settled) break
    if (clock.now() > limit) throw new Error(`drive: still running after ${opts.limitMs ?? 6 * 3_600_000} ms of clock time`)
    const next = clock.nextAt()
    if (next === null) continue
    clock.advance(Math.min(maxStep, Math.max(0, next - clock.now())))
  }
  return watched
}

// Lets pending I/O and timers due now run, without moving the clock.
export async function settle(clock: ManualClock, turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) {
    await new Promise((r) => setImmediate(r))
    clock.advance(0)
  }
}

export function imageRequest(seed: number, over: Partial<ImageRequest> = {}): ImageRequest {
  return {
    prompt: `panel ${seed}: a fox detective in the rain`,
    negative: 'blurry',
    seed,
    width: 1024,
    height: 1024,
    styleId: 'classic-noir',
    references: [],
    subject: { shot: 'medium', scene: 'a rainy alley', characters: [] },
    ...over,
  }
}

// A small API-format graph, like the styles' templates produce.
export function testWorkflow(request: ImageRequest): Record<string, unknown> {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'flux1-dev-fp8.safetensors' } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: request.prompt, clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: request.negative, clip: ['4', 1] } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: request.width, height: request.height, batch_size: 1 } },
    '3': { class_type: 'KSampler', inputs: { seed: request.seed, steps: 20, cfg: 1, sampler_name: 'euler', scheduler: 'simple', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0] } },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'kitsumy', images: ['8', 0] } },
  }
}

export class EventLog {
  readonly events: StudioEvent[] = []
  readonly emit = (e: StudioEvent): void => {
    this.events.push(e)
  }

  of<T extends StudioEvent['type']>(type: T): Array<Extract<StudioEvent, { type: T }>> {
    return this.events.filter((e): e is Extract<StudioEvent, { type: T }> => e.type === type)
  }
}

export async function expectRejects(p: Promise<unknown>): Promise<{ code: string; message: string; retryAfterMs: number | null; retryable: boolean }> {
  try {
    await p
  } catch (err) {
    return err as { code: string; message: string; retryAfterMs: number | null; retryable: boolean }
  }
  throw new Error('expected a rejection')
}

// Resolves once `pred` holds, checked every real tick (use inside drive()).
export function until(pred: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (pred() ? resolve() : setTimeout(check, 0))
    check()
  })
}

// The clock of a process that can die: after crash() none of its timers fire again, like a killed app.
export class KillableClock implements Clock {
  private readonly inner: Clock
  private dead = false

  constructor(inner: Clock) {
    this.inner = inner
  }

  crash(): void {
    this.dead = true
  }

  now(): number {
    return this.inner.now()
  }

  setTimeout(fn: () => void, ms: number): unknown {
    return this.inner.setTimeout(() => {
      if (!this.dead) fn()
    }, ms)
  }

  clearTimeout(handle: unknown): void {
    this.inner.clearTimeout(handle)
  }
}
