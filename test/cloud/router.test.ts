import { describe, expect, it } from 'vitest'
import { breakEvenImages, DEADLINE_SECONDS, FIRST_PICTURE_SECONDS, keepAliveSeconds, LATE_MIN_IMAGES, LATE_WAIT_SECONDS, podEconomics, RELAXED_KEEP_ALIVE_SECONDS, route, urgentPods } from '../../src/cloud/router.ts'
import type { RouteInput } from '../../src/cloud/router.ts'
import { FALLBACK_PRICES } from '../../src/cloud/prices.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'

const settings = parseCloudSettings({ estimates: { podBootSeconds: 270, podSecondsPerImage: 12, serverlessSecondsPerImage: 12 } })
const noPods = { serving: 0, freeSlots: 0, leased: 0, booting: 0, bootEtaSeconds: null, canRent: true, lostRecently: false }
// 500 comics/day of 40 images: 833 images an hour, 2.8 GPUs of work; 100 a day is 0.56 GPU.
const BUSY = 833
const QUIET = 167
const POD_PER_S = 0.44 / 3600
const SERVERLESS_IMAGE = 12 * 0.00034

function input(over: Partial<RouteInput> = {}): RouteInput {
  return {
    remaining: 40,
    podLine: 0,
    lateLine: 0,
    comicWaiting: 1,
    lateAllowed: false,
    lateRunning: false,
    urgent: false,
    firstOfComic: false,
    waitedSeconds: 0,
    demandImagesPerHour: QUIET,
    budgetLeftUsd: null,
    providers: { pod: true, serverless: true, runpodFlux: false, replicate: false, local: false },
    fleet: noPods,
    prices: FALLBACK_PRICES,
    estimates: settings.estimates,
    idleSeconds: settings.pods.idleMinutes * 60,
    megapixels: 1,
    ...over,
  }
}

describe('router: rent-or-buy from live prices', () => {
  it('break-even counts the boot and the keep-alive of the service level (computed, not a constant)', () => {
    const relaxed = route(input())
    expect(relaxed.breakEven).toBeCloseTo(((270 + RELAXED_KEEP_ALIVE_SECONDS) * POD_PER_S) / (SERVERLESS_IMAGE - 12 * POD_PER_S), 9)
    expect(relaxed.breakEven).toBeGreaterThan(14)
    expect(relaxed.breakEven).toBeLessThan(14.1)
    const urgent = route(input({ urgent: true }))
    expect(urgent.breakEven).toBeCloseTo(((270 + 900) * POD_PER_S) / (SERVERLESS_IMAGE - 12 * POD_PER_S), 9)
    expect(breakEvenImages(podEconomics({ prices: FALLBACK_PRICES, estimates: settings.estimates, idleSeconds: 0 }), null)).toBe(0)
  })

  it('the threshold moves with prices: a dearer pod needs a much bigger batch; cheap serverless never rents one', () => {
    const dear = { ...FALLBACK_PRICES, podPerHour: 0.88 }
    expect(route(input({ remaining: 20, prices: dear }))).toMatchObject({ engine: 'serverless', startPod: false })
    expect(route(input({ remaining: 120, prices: dear })).startPod).toBe(true)
    const cheapFlex = { ...FALLBACK_PRICES, serverlessPerSecond: 0.0001 }
    expect(route(input({ remaining: 500, prices: cheapFlex })).startPod).toBe(false)
  })

  it('the keep-alive follows the level: urgent keeps a pod for the idle setting, relaxed lets it go within seconds', () => {
    expect(keepAliveSeconds({ urgent: true, idleSeconds: 900 })).toBe(900)
    expect(keepAliveSeconds({ urgent: false, idleSeconds: 900 })).toBe(RELAXED_KEEP_ALIVE_SECONDS)
    expect(keepAliveSeconds({ urgent: false, idleSeconds: 10 })).toBe(10)
    expect(route(input({ urgent: true })).keepAliveSeconds).toBe(900)
  })
})

describe('router: relaxed comics (done within 30 minutes)', () => {
  it('a comic past break-even boots a pod and waits for it; only its first panel starts at once', () => {
    const first = route(input({ firstOfComic: true }))
    expect(first).toMatchObject({ engine: 'serverless', startPod: true, pods: 1 })
    expect(first.reason).toContain('first panel')
    const rest = route(input({ remaining: 39, fleet: { ...noPods, booting: 1, bootEtaSeconds: 240 } }))
    expect(rest.engine).toBe('pod')
    expect(rest.reason).toContain('ready in about 240 s')
    expect(rest.reason).toContain(`inside the ${DEADLINE_SECONDS.relaxed} s deadline`)
  })

  it('small batches stay on serverless, with the break-even in the reason', () => {
    const d = route(input({ remaining: 8 }))
    expect(d).toMatchObject({ engine: 'serverless', startPod: false })
    expect(d.reason).toMatch(/8 image\(s\) ≤ break-even 15/)
  })

  it('pods for a big backlog: as many as finish it in time, each past break-even', () => {
    expect(route(input({ remaining: 80 })).pods).toBe(1)
    expect(route(input({ remaining: 400 })).pods).toBe(5)
  })

  it('spills to serverless only when pods could not finish in time', () => {
    const busy = { ...noPods, serving: 2, freeSlots: 0 }
    expect(route(input({ remaining: 100, fleet: busy })).engine).toBe('pod')
    const d = route(input({ remaining: 300, fleet: { ...busy, canRent: false } }))
    expect(d.engine).toBe('serverless')
    expect(d.reason).toMatch(/pods would need about 1800 s/)
  })

  it('a ready pod takes any image, even the first of a comic', () => {
    expect(route(input({ remaining: 2, firstOfComic: true, fleet: { ...noPods, serving: 1, freeSlots: 1 } }))).toMatchObject({ engine: 'pod', startPod: false })
  })
})

describe('router: urgent comics (first panel within a minute, done within five)', () => {
  it('with little demand, never rents a pod: serverless', () => {
    const d = route(input({ urgent: true, remaining: 120 }))
    expect(d).toMatchObject({ engine: 'serverless', startPod: false })
    expect(d.reason).toContain('would leave a pod idle')
  })

  it('with sustained demand and a backlog past break-even, rents pods sized to the load', () => {
    const d = route(input({ urgent: true, remaining: 80, demandImagesPerHour: BUSY }))
    expect(d).toMatchObject({ startPod: true, engine: 'serverless', pods: 4 })
  })

  it('an image waits for a pod only while it is still done by its deadline, counted from when it was asked for', () => {
    // Four busy pods holding two images each.
    const serving = { ...noPods, serving: 4, freeSlots: 0, leased: 8 }
    const urgent = (over: Partial<RouteInput>) => route(input({ urgent: true, remaining: 120, demandImagesPerHour: BUSY, fleet: serving, ...over }))
    // 60 in line and 8 on the pods: done (60 + 8 + 1) × 12 / 4 = 207 s after it was asked for.
    const inTime = urgent({ podLine: 60 })
    expect(inTime.engine).toBe('pod')
    expect(inTime.reason).toContain('68 image(s) ahead on 4 pod(s): done about 207 s after it was asked for')
    // The edge is 93 % of the 300 s deadline, 279 s: 84 in line just makes it, 85 do not.
    expect(urgent({ podLine: 84 }).engine).toBe('pod')
    const late = urgent({ podLine: 85 })
    expect(late.engine).toBe('serverless')
    expect(late.reason).toContain('on a pod it would be done about 282 s after it was asked for')
    // The same line of 60 for an image already waiting 80 s (behind a slow script, or a retry): 287 s, so serverless.
    expect(urgent({ podLine: 60, waitedSeconds: 80 }).engine).toBe('serverless')
    // However long the rest of the queue behind it.
    expect(urgent({ podLine: 60, remaining: 2_000 }).engine).toBe('pod')
    // With no pod serving yet, the line starts when the first boots, counted at the slow end of a boot: a tenth of
    // the 270 s expected later than its ETA, 30 + 27 + 21 × 12 / 4 = 120 s.
    const booting = { ...noPods, booting: 4, bootEtaSeconds: 30 }
    expect(urgent({ fleet: booting, podLine: 20 }).reason).toContain('done about 120 s')
    expect(urgent({ fleet: { ...booting, bootEtaSeconds: 189 }, podLine: 20 }).engine).toBe('pod')
    expect(urgent({ fleet: { ...booting, bootEtaSeconds: 190 }, podLine: 20 }).engine).toBe('serverless')
  })

  it('sustained demand rents pods even when the backlog in hand is below break-even (at 500 a day two comics seldom overlap)', () => {
    const d = route(input({ urgent: true, remaining: 20, demandImagesPerHour: BUSY }))
    expect(d.breakEven).toBeGreaterThan(20)
    expect(d).toMatchObject({ startPod: true, pods: 4 })
    // Not when the demand would leave a pod idle, however big the backlog.
    expect(route(input({ urgent: true, remaining: 200, demandImagesPerHour: QUIET })).startPod).toBe(false)
  })

  it('the fleet follows the demand only once it calls for three quarters of a pod more or less', () => {
    const withFleet = (pods: number, imagesPerHour: number) => route(input({ urgent: true, demandImagesPerHour: imagesPerHour, fleet: { ...noPods, serving: pods, leased: pods * 2 } })).pods
    // 833 images an hour is 2.78 GPUs: 2.78 + ½ √2.78 = 3.61 pods.
    expect(withFleet(0, BUSY)).toBe(4)
    // A quarter more demand (3.47 + 0.93 = 4.40 pods) keeps 4; two fifths more (3.89 + 0.99 = 4.88) rents a fifth.
    expect(withFleet(4, BUSY * 1.25)).toBe(4)
    expect(withFleet(4, BUSY * 1.4)).toBe(5)
    // 3 pods stay 3 at the same demand (3.61 − 3 < 0.75), and 4 stay 4 down to about a tenth less.
    expect(withFleet(3, BUSY)).toBe(3)
    expect(withFleet(4, BUSY * 0.9)).toBe(4)
    expect(withFleet(4, BUSY * 0.8)).toBe(3)
  })

  it('urgent pods grow with the load plus half its square root: a fifth pod only from 3.6 GPUs', () => {
    expect(urgentPods(2.78)).toBeCloseTo(3.61, 2)
    expect(Math.round(urgentPods(1.7))).toBe(2)
    expect(Math.round(urgentPods(1.9))).toBe(3)
    expect(Math.round(urgentPods(2.6))).toBe(3)
    expect(Math.round(urgentPods(2.8))).toBe(4)
    expect(Math.round(urgentPods(3.5))).toBe(4)
    expect(Math.round(urgentPods(3.7))).toBe(5)
  })

  it('a burst that would spill much of a comic lets it finish late on the pods, behind the comics on time, if the allowance has room', () => {
    const serving = { ...noPods, serving: 4, freeSlots: 0, leased: 8 }
    const urgent = (over: Partial<RouteInput>) => route(input({ urgent: true, remaining: 120, demandImagesPerHour: BUSY, fleet: serving, lateAllowed: true, ...over }))
    // 60 in line and 8 on the pods: the pods finish (279 × 4 / 12) − 68 = 25 more images in time; of a comic
    // with 40 still to send, 15 would spill: below LATE_MIN_IMAGES, so its images keep the deadline.
    expect(LATE_MIN_IMAGES).toBe(20)
    const few = urgent({ podLine: 60, comicWaiting: 40 })
    expect(few).toMatchObject({ engine: 'pod', late: false })
    // 80 in line: only 5 fit, 35 would spill. The whole comic runs late, even this image that would be on time.
    const many = urgent({ podLine: 80, comicWaiting: 40 })
    expect(many).toMatchObject({ engine: 'pod', late: true })
    expect(many.reason).toContain('35 image(s) of its comic would miss the 300 s deadline')
    // Without room in the allowance the same image goes to its normal place, and the spill to serverless.
    expect(urgent({ podLine: 80, comicWaiting: 40, lateAllowed: false })).toMatchObject({ engine: 'pod', late: false })
    expect(urgent({ podLine: 85, comicWaiting: 40, lateAllowed: false })).toMatchObject({ engine: 'serverless', late: false })
    // A comic already late stays late whatever is left of it.
    expect(urgent({ podLine: 0, comicWaiting: 1, lateRunning: true })).toMatchObject({ engine: 'pod', late: true })
    // Late still means within the relaxed deadline: a line it could not clear by then spills.
    // An image of it waits until 5 minutes before the relaxed 30: 4 pods draw 1,500 s × 4 / 12 = 500 images by
    // then: 93 ahead, itself, and at most 406 late ones before it.
    expect(LATE_WAIT_SECONDS).toBe(1_500)
    const fits = (LATE_WAIT_SECONDS * 4) / 12 - 94
    expect(fits).toBeCloseTo(406, 9)
    expect(urgent({ podLine: 85, lateLine: 406, comicWaiting: 40, lateRunning: true }).engine).toBe('pod')
    expect(urgent({ podLine: 85, lateLine: 407, comicWaiting: 40, lateRunning: true }).engine).toBe('serverless')
    // No pod serving yet: nothing runs late on a boot that may fail.
    expect(urgent({ fleet: { ...noPods, booting: 4, bootEtaSeconds: 240 }, podLine: 20, comicWaiting: 40 }).late).toBe(false)
  })

  it("a comic's first panel goes where its picture comes soonest: a pod only if it draws it within half a minute", () => {
    const serving = { ...noPods, serving: 4, freeSlots: 0 }
    const first = (over: Partial<RouteInput>) => route(input({ urgent: true, remaining: 60, demandImagesPerHour: BUSY, fleet: serving, firstOfComic: true, ...over }))
    // 5 images ahead on 4 busy pods: its own turn and drawing take about (5 + 4) × 12 / 4 = 27 s.
    const short = first({ podLine: 5 })
    expect(short.engine).toBe('pod')
    expect(short.reason).toContain('about 27 s')
    expect(FIRST_PICTURE_SECONDS).toBe(30)
    expect(first({ podLine: 7 }).engine).toBe('serverless')
    expect(first({ podLine: 40 }).engine).toBe('serverless')
    expect(first({ fleet: { ...serving, freeSlots: 1 } }).engine).toBe('pod')
    // A booting pod is minutes away.
    expect(first({ fleet: { ...noPods, booting: 4, bootEtaSeconds: 30 } }).engine).toBe('serverless')
  })
})

describe('router: what is configured, lost or affordable', () => {
  it('after a preemption the rest goes to serverless and no new pod is rented', () => {
    const d = route(input({ remaining: 35, fleet: { ...noPods, lostRecently: true } }))
    expect(d).toMatchObject({ engine: 'serverless', startPod: false })
    expect(d.reason).toContain('lost')
    expect(route(input({ urgent: true, remaining: 200, demandImagesPerHour: BUSY, fleet: { ...noPods, lostRecently: true } })).startPod).toBe(false)
  })

  it('pods not rentable (cooldown) or not configured: serverless', () => {
    expect(route(input({ fleet: { ...noPods, canRent: false } }))).toMatchObject({ engine: 'serverless', startPod: false })
    const noPodProvider = route(input({ providers: { pod: false, serverless: true, runpodFlux: false, replicate: false, local: false } }))
    expect(noPodProvider).toMatchObject({ engine: 'serverless', startPod: false })
    expect(noPodProvider.reason).toContain('not configured')
  })

  it('only the engines with keys are considered, cheapest first', () => {
    const flux = route(input({ remaining: 3, providers: { pod: false, serverless: false, runpodFlux: true, replicate: true, local: false } }))
    expect(flux.engine).toBe('runpod-flux')
    const rep = route(input({ remaining: 3, providers: { pod: false, serverless: false, runpodFlux: false, replicate: true, local: false } }))
    expect(rep.engine).toBe('replicate')
  })

  it('with pods as the only cloud engine, any batch rents a pod and waits for it', () => {
    const d = route(input({ remaining: 2, firstOfComic: true, providers: { pod: true, serverless: false, runpodFlux: false, replicate: false, local: false } }))
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
  it('defaults: on-demand pods, 15 idle minutes, RunPod and Replicate base URLs', () => {
    const defaults = parseCloudSettings()
    expect(defaults.pods).toMatchObject({ capacityClass: 'on-demand', idleMinutes: 15, bidPerGpu: null })
    expect(defaults.urls.runpodRest).toBe('https://api.runpod.io/v2')
    expect(defaults.urls.podProxy).toBe('https://{podId}-8188.proxy.runpod.net')
    expect(defaults.serverless.endpointId).toBeNull()
  })

  it('rejects nonsense', () => {
    expect(() => parseCloudSettings({ pods: { capacityClass: 'spot' as 'on-demand' } })).toThrow()
    expect(() => parseCloudSettings({ urls: { podProxy: 'https://no-placeholder' } })).toThrow()
    expect(() => parseCloudSettings({ pods: { gpuTypes: [] } })).toThrow()
  })
})
