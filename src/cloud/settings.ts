import { z } from 'zod'
import { DEADLINE_SECONDS } from './router.ts'

// Cloud burst settings. Keys are not settings: they come from the Secrets service.
// Every base URL is a setting so tests (and a proxy or a self-hosted gateway) can point elsewhere.

const Url = z.string().url()
const Seconds = z.number().positive()

export const CapacityClass = z.enum(['on-demand', 'interruptible'])
export type CapacityClass = z.infer<typeof CapacityClass>

export const CloudSettings = z.object({
  urls: z.object({
    runpodRest: Url.default('https://api.runpod.io/v2'),
    runpodGraphql: Url.default('https://api.runpod.io/graphql'),
    runpodServerless: Url.default('https://api.runpod.ai/v2'),
    // {podId} is replaced; RunPod exposes a pod's HTTP port as https://{podId}-{port}.proxy.runpod.net.
    podProxy: z.string().includes('{podId}').default('https://{podId}-8188.proxy.runpod.net'),
    replicate: Url.default('https://api.replicate.com/v1'),
  }).prefault({}),

  serverless: z.object({
    // Our worker-comfyui endpoint; null when the user has none.
    endpointId: z.string().min(1).nullable().default(null),
    // GPU of that endpoint, to price it from the catalog's flex prices.
    gpuTypeId: z.string().default('NVIDIA A40'),
    executionTimeoutSeconds: Seconds.default(600),
    stuckQueueSeconds: Seconds.default(120),
  }).prefault({}),

  hosted: z.object({
    fluxModel: z.enum(['flux-1-dev', 'flux-1-schnell']).default('flux-1-dev'),
    replicateModel: z.string().regex(/^[\w.-]+\/[\w.-]+$/).default('black-forest-labs/flux-dev'),
    syncWaitSeconds: Seconds.max(300).default(60),
    // Images handed to the per-image engines at once; each provider queues what its workers cannot take yet.
    imagesInFlight: z.number().int().positive().max(64).default(5),
  }).prefault({}),

  pods: z.object({
    enabled: z.boolean().default(true),
    // Tried in order; "no capacity" on one moves to the next.
    gpuTypes: z.array(z.string().min(1)).min(1).default(['NVIDIA A40', 'NVIDIA RTX A6000', 'NVIDIA L40S', 'NVIDIA GeForce RTX 4090']),
    capacityClass: CapacityClass.default('on-demand'),
    // $/GPU/hr bid for interruptible pods; null bids the catalog's current spot price.
    bidPerGpu: z.number().positive().nullable().default(null),
    cloud: z.enum(['SECURE', 'COMMUNITY']).default('SECURE'),
    image: z.string().min(1).default('runpod/worker-comfyui:5.5.1-flux1-dev'),
    diskGb: z.number().int().positive().default(60),
    maxPods: z.number().int().min(0).max(16).default(2),
    // Prompts in flight per pod: one running, one queued keeps the GPU busy.
    slotsPerPod: z.number().int().positive().default(2),
    idleMinutes: z.number().positive().default(15),
    // Of the last 100 urgent comics, how many may finish after their deadline on the pods instead of paying
    // serverless for a burst (late-allowance.ts). The urgent service level allows 5 %: 4 leaves the last one for
    // comics that miss by accident (under 0.5 % in the economics bench); 0 keeps every comic on time.
    urgentLateShare: z.number().min(0).max(0.05).default(0.04),
    bootTimeoutSeconds: Seconds.default(900),
    // After a boot failure or no capacity anywhere, wait this long before renting again.
    retryAfterFailureSeconds: Seconds.default(600),
    // Consecutive failed worker health checks before a pod counts as lost.
    healthFailuresToLose: z.number().int().positive().default(3),
  }).prefault({}),

  // Our own ComfyUI, e.g. http://127.0.0.1:8188; null when there is none.
  localComfyUrl: Url.nullable().default(null),

  poll: z.object({
    podStatusSeconds: Seconds.default(5),
    workerHealthSeconds: Seconds.default(10),
    bootSeconds: Seconds.default(3),
    jobSeconds: Seconds.default(1.5),
    // Around a serverless job's expected end (src/art/poll-pace.ts): RunPod allows 2,000 status calls per 10 s.
    briskSeconds: Seconds.default(0.25),
    requestTimeoutSeconds: Seconds.default(30),
    downloadTimeoutSeconds: Seconds.default(60),
    imageTimeoutSeconds: Seconds.default(600),
  }).prefault({}),

  // Estimates for the rent-or-buy decision until measured (FACTS: ~45 s first image cold, ~15 s warm).
  estimates: z.object({
    podBootSeconds: Seconds.default(240),
    podSecondsPerImage: Seconds.default(15),
    serverlessSecondsPerImage: Seconds.default(15),
  }).prefault({}),
})
export type CloudSettings = z.infer<typeof CloudSettings>
export type CloudSettingsInput = z.input<typeof CloudSettings>

// How many images the studio works on at once with the cloud on: a slot on every pod up or booting (`pods`), plus
// the per-image engines' share, so work can spill while every pod slot is taken, plus the images waiting in line for
// a pod (`podLine`, up to what the pods draw within an urgent deadline). An image in line holds no engine, and taking
// the next one at once is what lets the router send it elsewhere while it can still be done in time, rather than
// when a slot frees minutes later. Slots of pods not rented count for nothing: they would only queue more images at
// the serverless endpoint, first come first served, where a new comic's first panel would wait behind them.
export function imagesInFlight(settings: CloudSettings, pods = 0, podLine = 0): number {
  const line = Math.min(podLine, settings.pods.maxPods * Math.ceil(DEADLINE_SECONDS.urgent / settings.estimates.podSecondsPerImage))
  return Math.min(pods, settings.pods.maxPods) * settings.pods.slotsPerPod + settings.hosted.imagesInFlight + line
}

export function parseCloudSettings(input: CloudSettingsInput = {}): CloudSettings {
  return CloudSettings.parse(input)
}
