import type { CatalogGpu } from './runpod-rest.ts'
import type { CloudSettings } from './settings.ts'

// What the router weighs. Live values come from RunPod's catalog; the fallback is dated so it is never mistaken for live.
export interface CloudPrices {
  asOf: string
  source: 'catalog' | 'fallback'
  // $/hr of the pod we would rent (first preferred GPU type with a price).
  podPerHour: number
  podGpuTypeId: string
  // $/s of our serverless endpoint's GPU (flex).
  serverlessPerSecond: number
  // RunPod public Flux endpoint, $ per megapixel.
  fluxPerMegapixel: number
  replicatePerImage: number
}

// Seen in October–November 2026 (FACTS.md): A40 on-demand $0.44/hr, A40 flex $0.00034/s,
// Flux Dev ≈ $0.02/MP (Schnell ≈ $0.0024), Replicate flux-dev $0.025/image (schnell $0.003).
export const FALLBACK_PRICES: CloudPrices = {
  asOf: '2026-11',
  source: 'fallback',
  podPerHour: 0.44,
  podGpuTypeId: 'NVIDIA A40',
  serverlessPerSecond: 0.00034,
  fluxPerMegapixel: 0.02,
  replicatePerImage: 0.025,
}

const HOSTED_PRICES = {
  'flux-1-dev': 0.02,
  'flux-1-schnell': 0.0024,
  'black-forest-labs/flux-dev': 0.025,
  'black-forest-labs/flux-schnell': 0.003,
  'black-forest-labs/flux-1.1-pro': 0.04,
} as const

function hostedPrice(key: string, fallback: number): number {
  return (HOSTED_PRICES as Record<string, number>)[key] ?? fallback
}

function podPrice(gpu: CatalogGpu, settings: CloudSettings): number | null {
  const community = settings.pods.cloud === 'COMMUNITY'
  if (settings.pods.capacityClass === 'interruptible') {
    const spot = community ? gpu.communitySpotPrice : gpu.secureSpotPrice
    if (spot) return spot
  }
  return (community ? gpu.communityPrice : gpu.securePrice) ?? null
}

export function pricesFromCatalog(catalog: readonly CatalogGpu[], settings: CloudSettings, asOf: string): CloudPrices {
  const byId = new Map(catalog.map((g) => [g.id, g]))
  let podPerHour: number | null = null
  let podGpuTypeId = settings.pods.gpuTypes[0]
  for (const id of settings.pods.gpuTypes) {
    const gpu = byId.get(id)
    const price = gpu ? podPrice(gpu, settings) : null
    if (price) {
      podPerHour = price
      podGpuTypeId = id
      break
    }
  }
  const flex = byId.get(settings.serverless.gpuTypeId)?.serverlessFlexPricePerSecond ?? null
  const live = podPerHour !== null && flex !== null
  return {
    asOf: live ? asOf : FALLBACK_PRICES.asOf,
    source: live ? 'catalog' : 'fallback',
    podPerHour: podPerHour ?? FALLBACK_PRICES.podPerHour,
    podGpuTypeId,
    serverlessPerSecond: flex ?? FALLBACK_PRICES.serverlessPerSecond,
    fluxPerMegapixel: hostedPrice(settings.hosted.fluxModel, FALLBACK_PRICES.fluxPerMegapixel),
    replicatePerImage: hostedPrice(settings.hosted.replicateModel, FALLBACK_PRICES.replicatePerImage),
  }
}

// The bid for an interruptible pod: the user's, else the catalog's current spot price for that GPU.
export function bidFromCatalog(catalog: readonly CatalogGpu[], settings: CloudSettings): (gpuTypeId: string) => number | null {
  return (gpuTypeId) => {
    if (settings.pods.bidPerGpu !== null) return settings.pods.bidPerGpu
    const gpu = catalog.find((g) => g.id === gpuTypeId)
    return (settings.pods.cloud === 'COMMUNITY' ? gpu?.communitySpotPrice : gpu?.secureSpotPrice) ?? null
  }
}
