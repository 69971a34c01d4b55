import { describe, expect, it } from 'vitest'
import { FALLBACK_PRICES } from '../../src/cloud/prices.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'
import { describeRoute, estimateComic } from '../../src/costs/estimate.ts'
import type { EstimateInput, RouteTiming } from '../../src/costs/estimate.ts'
import { priceSheet } from '../../src/costs/price-catalog.ts'

const timing: RouteTiming = {
  podBootSeconds: 270, podSecondsPerImage: 12, podIdleSeconds: 300, maxPods: 8,
  serverlessSecondsPerImage: 12, serverlessColdStartSeconds: 30, serverlessIdleSeconds: 5, serverlessWorkers: 5,
  fluxSecondsPerImage: 8, fluxConcurrency: 5, replicateSecondsPerImage: 6, replicateConcurrency: 10, offlineSecondsPerImage: 0.2,
}
const prices = priceSheet(FALLBACK_PRICES, parseCloudSettings(), null, null)
const input = (over: Partial<EstimateInput> = {}): EstimateInput => ({
  images: 40, megapixelsPerImage: 1, urgent: false, prices, timing,
  configured: { pod: true, serverless: true, runpodFlux: true, replicate: true }, ...over,
})
const byEngine = (e: ReturnType<typeof estimateComic>) => Object.fromEntries(e.routes.map((r) => [r.engine, r]))

describe('estimateComic', () => {
  it('prices every route of a 40-image comic from the named prices', () => {
    const r = byEngine(estimateComic(input()))
    expect(r.offline).toMatchObject({ usd: 0, seconds: 8 })
    expect(r.serverless.usd).toBeCloseTo((40 * 12 + 5 * 5) * 0.00034, 12)
    expect(r.serverless.seconds).toBe(30 + 8 * 12)
    // The pod pays its boot and the idle wait before shutdown, not just its images.
    expect(r.pod.usd).toBeCloseTo(((270 + 480 + 300) * 0.44) / 3600, 12)
    expect(r.pod.seconds).toBe(270 + 480)
    expect(r.pod.firstImageSeconds).toBe(282)
    expect(r.replicate).toMatchObject({ usd: 1, seconds: 24 })
    expect(r['runpod-flux'].usd).toBeCloseTo(0.8, 12)
    expect(r.pod.prices[0]).toMatchObject({ source: 'builtin', asOf: '2026-11' })
    expect(describeRoute(r.pod)).toBe('pod: $0.12833 in about 750 s — 270 s boot + 40 × 12 s + 300 s idle before shutdown [NVIDIA A40 pod $0.44/hour (built-in price list, 2026-11)]')
  })

  it('recommends the cheapest route that meets the deadline', () => {
    expect(estimateComic(input()).routes.find((r) => r.recommended)?.engine).toBe('pod')
    const urgent = estimateComic(input({ urgent: true }))
    expect(urgent.deadlineSeconds).toBe(300)
    expect(urgent.routes.find((r) => r.recommended)?.engine).toBe('serverless')
    expect(byEngine(urgent).pod.meetsDeadline).toBe(false)
  })

  it('a pod already up costs only its images and starts at once', () => {
    const r = byEngine(estimateComic(input({ urgent: true, readyPods: 2 })))
    expect(r.pod.seconds).toBe(240)
    expect(r.pod.usd).toBeCloseTo(((480 + 600) * 0.44) / 3600, 12)
    expect(estimateComic(input({ urgent: true, readyPods: 2 })).routes.find((x) => x.recommended)?.engine).toBe('pod')
  })

  it('with no cloud configured, offline is the route', () => {
    const e = estimateComic(input({ configured: { pod: false, serverless: false, runpodFlux: false, replicate: false } }))
    expect(e.routes.map((r) => [r.engine, r.recommended])).toEqual([['offline', true]])
  })

  it('when nothing meets the deadline, recommends the fastest', () => {
    const e = estimateComic(input({ images: 400, urgent: true, configured: { pod: true, serverless: true, runpodFlux: false, replicate: false } }))
    expect(e.routes.find((r) => r.recommended)?.engine).toBe('serverless')
  })
})
