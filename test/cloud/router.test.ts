import { describe, expect, it } from 'vitest'
import { breakEvenImages, podEconomics, route } from '../../src/cloud/router.ts'
import type { RouteInput } from '../../src/cloud/router.ts'
import { FALLBACK_PRICES } from '../../src/cloud/prices.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'

const settings = parseCloudSettings()
const offlineFleet = { serving: 0, freeSlots: 0, booting: 0, bootEtaSeconds: null, canRent: true, lostRecently: false }

function input(over: Partial<RouteInput> = {}): RouteInput {
  return {
    remaining: 40,
    urgent: false,
    budgetLeftUsd: null,
    providers: { pod: true, serverless: true, runpodFlux: false, replicate: false, local: false },
    fleet: offlineFleet,
    prices: FALLBACK_PRICES,
    estimates: settings.estimates,
    idleSeconds: settings.pods.idleMinutes * 60,
    megapixels: 1.05,
    ...over,
  }
}

describe('router: rent-or-buy from live prices', () => {
  it('with 2026 prices a pod pays from about 20 images (computed, not a constant)', () => {
    const pod = podEconomics(input())
    const be = breakEvenImages(pod, settings.estimates.serverlessSecondsPerImage * FALLBACK_PRICES.serverlessPerSecond)
    expect(be).toBeGreaterThan(19)
    expect(be).toBeLessThan(21)
  })

  it('> 20 images: rent a pod, and start the first panels on serverless while it boots', () => {
    const d = route(input({ remaining: 40 }))
    expect(d).toMatchObject({ engine: 'serverless', startPod: true })
    expect(d.reason).toContain('booting')
  })

  it('< 20 images: serverless, no pod, with the break-even in the reason', () => {
    const d = route(input({ remaining: 12 }))
    expect(d).toMatchObject({ engine: 'serverless', startPod: false })
    expect(d.reason).toMatch(/12 image\(s\) ≤ break-even 21/)
  })

  it('the threshold moves with prices: a dearer pod needs a much bigger batch', () => {
    const dear = { ...FALLBACK_PRICES, podPerHour: 0.88 }
    expect(route(input({ remaining: 40, prices: dear }))).toMatchObject({ engine: 'serverless', startPod: false })
    expect(route(input({ remaining: 120, prices: dear })).startPod).toBe(true)
    const cheapFlex = { ...FALLBACK_PRICES, serverlessPerSecond: 0.0001 }
    expect(route(input({ remaining: 500, prices: cheapFlex })).startPod).toBe(false)
  })

  it('while a pod boots, panels go to serverless; once it is ready they go to the pod', () => {
    const booting = route(input({ remaining: 30, fleet: { ...offlineFleet, booting: 1, bootEtaSeconds: 120 } }))
    expect(booting.engine).toBe('serverless')
    expect(booting.reason).toContain('ready in about 120 s')
    const ready = route(input({ remaining: 30, fleet: { ...offlineFleet, serving: 1, freeSlots: 2 } }))
    expect(ready.engine).toBe('pod')
    const readySmallBatch = route(input({ remaining: 2, fleet: { ...offlineFleet, serving: 1, freeSlots: 1 } }))
    expect(readySmallBatch).toMatchObject({ engine: 'pod', startPod: false })
  })

  it('busy pods: wait for a slot unless the request is urgent', () => {
    const busy = { ...offlineFleet, serving: 1, freeSlots: 0 }
    expect(route(input({ fleet: busy })).engine).toBe('pod')
    const urgent = route(input({ fleet: busy, urgent: true }))
    expect(urgent.engine).toBe('serverless')
    expect(urgent.reason).toContain('urgent')
  })

  it('urgent work never waits for a booting pod, but the pod is still rented when it pays', () => {
    const d = route(input({ urgent: true, remaining: 60 }))
    expect(d).toMatchObject({ engine: 'serverless', startPod: true })
  })

  it('pod offline and not rentable (cooldown or no pod provider): serverless', () => {
    expect(route(input({ fleet: { ...offlineFleet, canRent: false } }))).toMatchObject({ engine: 'serverless', startPod: false })
    const noPods = route(input({ providers: { pod: false, serverless: true, runpodFlux: false, replicate: false, local: false } }))
    expect(noPods).toMatchObject({ engine: 'serverless', startPod: false })
    expect(noPods.reason).toContain('not configured')
  })

  it('after a preemption the rest goes to serverless and no new pod is rented', () => {
    const d = route(input({ remaining: 35, fleet: { ...offlineFleet, lostRecently: true } }))
    expect(d).toMatchObject({ engine: 'serverless', startPod: false })
    expect(d.reason).toContain('lost')
  })

  it('only the engines with keys are considered, cheapest first', () => {
    const flux = route(input({ remaining: 3, providers: { pod: false, serverless: false, runpodFlux: true, replicate: true, local: false } }))
    expect(flux.engine).toBe('runpod-flux')
    const rep = route(input({ remaining: 3, providers: { pod: false, serverless: false, runpodFlux: false, replicate: true, local: false } }))
    expect(rep.engine).toBe('replicate')
  })

  it('with pods as the only cloud engine, any batch rents a pod and waits for it', () => {
    const d = route(input({ remaining: 2, providers: { pod: true, serverless: false, runpodFlux: false, replicate: false, local: false } }))
    expect(d).toMatchObject({ engine: 'pod', startPod: true })
  })

  it('budget: a pod only if the budget covers it; nothing affordable draws offline', () => {
    const tight = route(input({ remaining: 40, budgetLeftUsd: 0.05 }))
    expect(tight).toMatchObject({ engine: 'serverless', startPod: false })
    expect(tight.reason).toContain('budget')
    expect(route(input({ budgetLeftUsd: 0.001 }))).toMatchObject({ engine: 'offline' })
  })

  it("the user's own ComfyUI wins; no cloud at all draws offline", () => {
    expect(route(input({ providers: { pod: true, serverless: true, runpodFlux: false, replicate: false, local: true } })).engine).toBe('comfy-local')
    const none = route(input({ providers: { pod: false, serverless: false, runpodFlux: false, replicate: false, local: false } }))
    expect(none).toMatchObject({ engine: 'offline', startPod: false })
    expect(none.reason).toContain('no cloud engine')
  })
})

describe('cloud settings', () => {
  it('defaults: on-demand pods, 5 idle minutes, RunPod and Replicate base URLs', () => {
    expect(settings.pods).toMatchObject({ capacityClass: 'on-demand', idleMinutes: 5, bidPerGpu: null })
    expect(settings.urls.runpodRest).toBe('https://api.runpod.io/v2')
    expect(settings.urls.podProxy).toBe('https://{podId}-8188.proxy.runpod.net')
    expect(settings.serverless.endpointId).toBeNull()
  })

  it('rejects nonsense', () => {
    expect(() => parseCloudSettings({ pods: { capacityClass: 'spot' as 'on-demand' } })).toThrow()
    expect(() => parseCloudSettings({ urls: { podProxy: 'https://no-placeholder' } })).toThrow()
    expect(() => parseCloudSettings({ pods: { gpuTypes: [] } })).toThrow()
  })
})
