import { describe, expect, it } from 'vitest'
import { FALLBACK_PRICES } from '../../src/cloud/prices.ts'
import { routeWithDemand, SERVICE_LEVELS } from '../../src/cloud/router.ts'
import type { DemandRouteInput } from '../../src/cloud/router.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'

// The service-level routing the economics bench measures (src/cloud/router.ts routeWithDemand).
const estimates = parseCloudSettings({ estimates: { podBootSeconds: 270, podSecondsPerImage: 12, serverlessSecondsPerImage: 12 } }).estimates
const noPods = { serving: 0, freeSlots: 0, booting: 0, bootEtaSeconds: null, canRent: true, lostRecently: false }
// 500 comics/day of 40 images: 833 images an hour, 2.8 GPUs of work.
const BUSY = 833
const QUIET = 167

function input(over: Partial<DemandRouteInput> = {}): DemandRouteInput {
  return {
    remaining: 40, urgent: false, budgetLeftUsd: null,
    providers: { pod: true, serverless: true, runpodFlux: false, replicate: true, local: false },
    fleet: noPods, prices: FALLBACK_PRICES, estimates, idleSeconds: 300, megapixels: 1,
    demandImagesPerHour: QUIET, firstOfComic: false, ...over,
  }
}

describe('routeWithDemand, relaxed', () => {
  it('boots a pod for a comic and waits for it instead of paying serverless while it boots', () => {
    const d = routeWithDemand(input())
    expect(d).toMatchObject({ engine: 'pod', startPod: true })
    // Break-even counts the boot but no keep-alive: idle pods go at once without urgency.
    expect(d.breakEven).toBeCloseTo((270 + SERVICE_LEVELS.relaxed.keepAliveSeconds) * (0.44 / 3600) / (12 * 0.00034 - 12 * 0.44 / 3600), 9)
    expect(d.reason).toContain('inside the 1800 s deadline')
  })

  it('small batches stay on serverless', () => {
    expect(routeWithDemand(input({ remaining: 8 }))).toMatchObject({ engine: 'serverless', startPod: false })
  })

  it('spills to serverless only when pods could not finish in time', () => {
    const busy = { ...noPods, serving: 2, freeSlots: 0 }
    expect(routeWithDemand(input({ remaining: 100, fleet: busy })).engine).toBe('pod')
    const d = routeWithDemand(input({ remaining: 300, fleet: { ...busy, canRent: false } }))
    expect(d.engine).toBe('serverless')
    expect(d.reason).toMatch(/pods would need about 1800 s/)
  })
})

describe('routeWithDemand, urgent', () => {
  it('with little demand, never rents a pod: serverless', () => {
    const d = routeWithDemand(input({ urgent: true, remaining: 120 }))
    expect(d).toMatchObject({ engine: 'serverless', startPod: false })
    expect(d.reason).toContain('would leave a pod idle')
  })

  it('with sustained demand and a backlog past break-even, rents pods; images wait only while they stay in time', () => {
    const d = routeWithDemand(input({ urgent: true, remaining: 80, demandImagesPerHour: BUSY }))
    expect(d.startPod).toBe(true)
    expect(d.engine).toBe('serverless')
    const serving = { ...noPods, serving: 4, freeSlots: 0 }
    expect(routeWithDemand(input({ urgent: true, remaining: 60, demandImagesPerHour: BUSY, fleet: serving })).engine).toBe('pod')
    expect(routeWithDemand(input({ urgent: true, remaining: 80, demandImagesPerHour: BUSY, fleet: serving })).engine).toBe('serverless')
  })

  it('a comic\'s first panel never queues behind pods', () => {
    const serving = { ...noPods, serving: 4, freeSlots: 0 }
    expect(routeWithDemand(input({ urgent: true, remaining: 5, demandImagesPerHour: BUSY, fleet: serving, firstOfComic: true })).engine).toBe('serverless')
    expect(routeWithDemand(input({ urgent: true, firstOfComic: true, fleet: { ...serving, freeSlots: 1 } })).engine).toBe('pod')
  })

  it('after a loss, no new pod; the budget still rules', () => {
    expect(routeWithDemand(input({ urgent: true, remaining: 200, demandImagesPerHour: BUSY, fleet: { ...noPods, lostRecently: true } })).startPod).toBe(false)
    expect(routeWithDemand(input({ budgetLeftUsd: 0.001 })).engine).toBe('offline')
    expect(routeWithDemand(input({ providers: { pod: true, serverless: true, runpodFlux: false, replicate: false, local: true } })).engine).toBe('comfy-local')
  })
})
