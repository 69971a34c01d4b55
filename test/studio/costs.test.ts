import { afterEach, describe, expect, it } from 'vitest'
import { parseStoredError } from '../../src/contract/index.ts'
import type { Comic, StudioEvent } from '../../src/contract/index.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { EnvSecrets } from '../../src/platform/secrets.ts'
import { imagesInFlight, parseCloudSettings } from '../../src/cloud/settings.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { FakeReplicate } from '../fakes/replicate-server.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { FakeRunpodCloud, type FakePod } from '../fakes/runpod-pods.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { makeStudio, waitForEvent } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'

const TOKEN = 'r8_cost_test_token_0042'
const RUNPOD_KEY = 'rpa_COSTTEST_0123456789abcdef'
let replicate: FakeReplicate | null = null
const open: Studio[] = []
const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
  for (const c of cleanups.splice(0)) await c()
  await replicate?.close()
})

// Each finished panel is noted with whether the ledger had its charge at that moment.
type NotedEvent = StudioEvent & { charged?: boolean }

async function cloudStudio(opts: { sampleOnFirstLaunch?: boolean } = {}): Promise<{ studio: Studio; log: GenerationLog; events: NotedEvent[] }> {
  const log = new GenerationLog()
  replicate = await new FakeReplicate({ clock: systemClock, log, token: TOKEN, predictMs: 30 }).start()
  const studio = makeStudio(tempDir(), { secrets: new EnvSecrets({ REPLICATE_API_TOKEN: TOKEN }), ...opts })
  open.push(studio)
  studio.library.settings.put('cloud.overrides', { urls: { replicate: replicate.baseUrl }, poll: { jobSeconds: 0.02 } })
  const events: NotedEvent[] = []
  const charged = (panelId: string) => studio.library.db.prepare("SELECT 1 FROM cost_charges WHERE panel_id = ? AND kind IN ('image', 'cache_hit')").get(panelId) !== undefined
  studio.events.on((e) => events.push(e.type === 'panel_updated' && e.status === 'done' ? { ...e, charged: charged(e.panelId) } : e))
  studio.start()
  return { studio, log, events }
}

async function make(studio: Studio, pages = 1): Promise<Comic> {
  const { comicId } = studio.create({ idea: 'A lighthouse keeper befriends a whale', styleId: 'cinematic-photo', pages, readingOrder: 'ltr', urgent: false, storyEngine: 'offline', seed: 9 })
  await waitForEvent(studio, 'generation_complete', (e) => e.comicId === comicId)
  return studio.comic(comicId)
}

describe('what a comic costs', () => {
  it('records every cloud image in the ledger once, and reports it per comic and provider', async () => {
    const { studio, log, events } = await cloudStudio()
    const comic = await make(studio)
    const panels = comic.pages.flatMap((p) => p.panels)
    expect(comic.status).toBe('done')
    expect(log.done.length).toBe(panels.length)
    const summary = studio.handlers('http')['costs.summary']({}) as ReturnType<Studio['costs']['summary']>
    expect(summary.totalUsd).toBeCloseTo(panels.length * 0.025, 6)
    expect(summary.byComic).toEqual([expect.objectContaining({ comicId: comic.id, images: panels.length })])
    expect(summary.byProvider.find((p) => p.engine === 'replicate')?.usd).toBeCloseTo(panels.length * 0.025, 6)
    expect(events.some((e) => e.type === 'cost_update' && e.comicId === comic.id)).toBe(true)
    expect(events.some((e) => e.type === 'route_decision' && e.engine === 'replicate')).toBe(true)
    expect(studio.costs.ledger.charges({ comicId: comic.id }).every((c) => c.priceAsOf.length >= 7)).toBe(true)
    // A picture on a panel is already charged: the two are written together, so a process killed right after the
    // panel showed it cannot leave it unbilled (the rerun finds it in the cache, at no cost).
    const chargedWhenShown = events.filter((e) => e.type === 'panel_updated' && e.status === 'done').map((e) => e.charged)
    expect(chargedWhenShown).toEqual(panels.map(() => true))

    // Redrawing the same panel with the same request is a cache hit: no new call, no new charge.
    const before = log.done.length
    const again = waitForEvent(studio, 'panel_updated', (e) => e.panelId === panels[0].id && e.status === 'done')
    studio.handlers('http')['panels.regenerate']({ comicId: comic.id, panelId: panels[0].id })
    await again
    expect(log.done.length).toBe(before)
    expect(studio.costs.summary().totalUsd).toBeCloseTo(summary.totalUsd, 9)
  })

  it('with the cloud on, draws as many images at once as the cloud takes, not the offline artist\'s 4', async () => {
    const { studio, events } = await cloudStudio()
    const overrides = studio.library.settings.get('cloud.overrides') as object
    studio.library.settings.put('cloud.overrides', { ...overrides, hosted: { imagesInFlight: 7 } })
    const comic = await make(studio, 2)
    const panels = comic.pages.flatMap((p) => p.panels)
    expect(panels.length).toBeGreaterThan(7)
    // No RunPod key, so no pods: Replicate's share only.
    expect(mostAtOnce(events, comic.id)).toBe(7)
    // With pods up or booting: their slots as well (two pods of two at most by default, and five per-image), and the
    // images in line for a pod, up to what the pods draw within an urgent deadline (two pods × 300 s / 15 s). No pod
    // rented, no pod slots: more images would only queue at the serverless endpoint.
    const defaults = parseCloudSettings()
    expect(imagesInFlight(defaults)).toBe(5)
    expect(imagesInFlight(defaults, 1)).toBe(7)
    expect(imagesInFlight(defaults, 2)).toBe(9)
    expect(imagesInFlight(defaults, 3)).toBe(9)
    expect(imagesInFlight(defaults, 2, 30)).toBe(39)
    expect(imagesInFlight(defaults, 2, 500)).toBe(49)
  })

  // Panels of one comic drawing at once, at most, from the studio's events.
  function mostAtOnce(events: readonly StudioEvent[], comicId: string): number {
    const drawing = new Set<string>()
    let most = 0
    for (const e of events) {
      if (e.type !== 'panel_updated' || e.comicId !== comicId) continue
      if (e.status === 'generating') drawing.add(e.panelId)
      else drawing.delete(e.panelId)
      most = Math.max(most, drawing.size)
    }
    return most
  }

  it('images waiting in line for a pod hold no place: the whole comic is routed at once, except under a budget', async () => {
    const log = new GenerationLog()
    const cloud = await new FakeRunpodCloud({ clock: systemClock, log, apiKey: RUNPOD_KEY, bootMs: 300, warmupMs: 200, genMs: 30 }).start()
    const hosted = await new FakeRunpodServerless({ clock: systemClock, log, apiKey: RUNPOD_KEY, jobMs: 30, workers: 3 }).start()
    cleanups.push(() => cloud.close(), () => hosted.close())
    const run = async (budget: number | null) => {
      const studio = makeStudio(tempDir(), { secrets: new EnvSecrets({ RUNPOD_API_KEY: RUNPOD_KEY }) })
      open.push(studio)
      studio.library.settings.put('cloud.overrides', {
        urls: { runpodRest: cloud.restUrl, runpodGraphql: cloud.graphqlUrl, podProxy: cloud.proxyTemplate, runpodServerless: hosted.baseUrl },
        pods: { maxPods: 1 },
        poll: { jobSeconds: 0.05, bootSeconds: 0.1, podStatusSeconds: 0.2, workerHealthSeconds: 0.5 },
      })
      studio.settings.update({ budgets: { comicUsd: budget } })
      const events: StudioEvent[] = []
      // Panel jobs the studio has taken from its queue, sampled at every event.
      const active = studio.library.db.prepare("SELECT count(*) FROM queue_jobs WHERE kind = 'panel' AND state = 'active'").pluck()
      let taken = 0
      studio.events.on((e) => {
        events.push(e)
        taken = Math.max(taken, active.get() as number)
      })
      studio.start()
      const comic = await make(studio, 4)
      const panels = comic.pages.flatMap((p) => p.panels)
      expect(panels.every((p) => p.status === 'done')).toBe(true)
      const onPod = events.filter((e) => e.type === 'route_decision' && e.comicId === comic.id && e.engine === 'pod').length
      const served = studio.library.db.prepare('SELECT sum(seconds) AS seconds, max(at) - min(at) AS span FROM cost_pod_usage WHERE comic_id = ?').get(comic.id) as { seconds: number; span: number }
      // Each panel that joined the pod's line said so, for the progress view.
      const waited = new Set(events.filter((e) => e.type === 'panel_waiting' && e.comicId === comic.id && e.engine === 'pod').map((e) => e.type === 'panel_waiting' && e.panelId))
      return { panels: panels.length, onPod, taken, drawing: mostAtOnce(events, comic.id), served, waited: waited.size }
    }
    // One pod of two slots and five per-image places: 7 at once, before the line.
    const free = await run(null)
    expect(free.panels).toBeGreaterThan(12)
    // The first panel on the hosted Flux, every other one waiting for the pod as it boots: all taken at once.
    expect(free.onPod).toBe(free.panels - 1)
    expect(free.taken).toBe(free.panels)
    expect(free.waited).toBe(free.onPod)
    // Only what an engine has shows as drawing: the first panel and the pod's two slots, not the line.
    expect(free.drawing).toBeLessThanOrEqual(3)
    // The comic's share of the pod counts drawing seconds, not the wait in line: with two slots, no more than twice
    // the time from its first picture served to its last (plus one picture's time), where the wait for the boot
    // alone was over half a second for each of its 20 images.
    expect(free.served.seconds).toBeLessThanOrEqual(2 * (free.served.span / 1000 + 1))
    // Under a budget each image taken holds its price: no more than the engines' own places.
    const capped = await run(50)
    expect(capped.onPod).toBe(capped.panels - 1)
    expect(capped.taken).toBe(7)
  })

  it('a serverless job that ran and failed is charged as RunPod bills it, and so is its retry', async () => {
    const log = new GenerationLog()
    const serverless = await new FakeRunpodServerless({ clock: systemClock, log, apiKey: RUNPOD_KEY, jobMs: 40, workers: 2 }).start()
    try {
      const studio = makeStudio(tempDir(), { secrets: new EnvSecrets({ RUNPOD_API_KEY: RUNPOD_KEY }) })
      open.push(studio)
      // No REST URL that answers: prices come from the dated built-in list.
      studio.library.settings.put('cloud.overrides', { urls: { runpodServerless: serverless.baseUrl, runpodRest: 'http://127.0.0.1:9/v2' }, poll: { jobSeconds: 0.02 } })
      studio.settings.update({ providers: { serverlessEndpointId: 'ep-comfy' } })
      studio.start()
      serverless.failNext = 1
      const comic = await make(studio)
      expect(comic.status).toBe('done')
      const rows = studio.costs.ledger.charges({ comicId: comic.id })
      const failed = rows.filter((r) => r.kind === 'failed_attempt')
      const images = rows.filter((r) => r.kind === 'image')
      expect(failed).toHaveLength(1)
      expect(failed[0]).toMatchObject({ provider: 'runpod-serverless:ep-comfy', unit: 'second' })
      expect(failed[0].quantity).toBeCloseTo(0.04, 6)
      expect(failed[0].amountUsd).toBeCloseTo(0.04 * 0.00034, 9)
      expect(images).toHaveLength(comic.pages.flatMap((p) => p.panels).length)
      expect(studio.costs.summary().totalUsd).toBeCloseTo(rows.reduce((a, r) => a + r.amountUsd, 0), 9)
    } finally {
      await serverless.close()
    }
  })

  it('prices routing and estimates from one cached, dated RunPod catalog: read once, reused after a restart', async () => {
    const cloud = await new FakeRunpodCloud({ clock: systemClock, log: new GenerationLog(), apiKey: RUNPOD_KEY }).start()
    const home = tempDir()
    const today = new Date().toISOString().slice(0, 10)
    try {
      for (const round of [1, 2]) {
        const studio = makeStudio(home, { secrets: new EnvSecrets({ RUNPOD_API_KEY: RUNPOD_KEY }) })
        open.push(studio)
        studio.library.settings.put('cloud.overrides', { urls: { runpodRest: cloud.restUrl } })
        studio.settings.update({ providers: { serverlessEndpointId: 'ep-comfy' } })
        studio.start()
        await studio.costs.gpus()
        // Round 1 reads the list once for both the estimates and the cloud burst; round 2 reads none.
        expect(cloud.calls.catalog, `round ${round}`).toBe(1)
        const estimate = studio.handlers('http')['comics.estimate']({ styleId: 'cinematic-photo', pages: 2, urgent: false }) as ReturnType<Studio['costs']['estimate']>
        const serverless = estimate.routes.find((r) => r.engine === 'serverless')!
        expect(serverless.prices[0]).toMatchObject({ source: 'catalog', asOf: today, usd: 0.00034 })
        await studio.close()
        open.splice(open.indexOf(studio), 1)
      }
    } finally {
      await cloud.close()
    }
  })

  // A session that crashed an hour after renting a pod: the pod is still on RunPod, open in the ledger; `served`
  // images were drawn on it (at the minutes given). The next session opens the same library with a RunPod key.
  async function afterCrash(served: number[], before?: (pod: FakePod) => void) {
    const cloud = await new FakeRunpodCloud({ clock: systemClock, log: new GenerationLog(), apiKey: RUNPOD_KEY }).start()
    cleanups.push(() => cloud.close())
    const home = tempDir()
    const crashed = makeStudio(home)
    crashed.library.settings.put('installId', 'crashinstall')
    const pod = cloud.seedPod({ name: 'kitsumy-crashinstall-a1', env: { KITSUMY_INSTALL_ID: 'crashinstall' } })
    const rentedAt = Date.now() - 3_600_000
    const { ledger } = crashed.costs
    ledger.podOpened({ podId: pod.id, provider: 'runpod-pod:NVIDIA A40', price: { usd: 0.44, per: 'hour', source: 'builtin', asOf: '2026-11', label: 'A40' }, at: rentedAt })
    served.forEach((minute, i) => ledger.podServed({ key: `img${i}`, podId: pod.id, comicId: 'c1', panelId: `p${i}`, seconds: 12, at: rentedAt + minute * 60_000 }))
    expect(ledger.openPodsUsd()).toBeCloseTo(0.44, 3)
    await crashed.close()
    before?.(pod)
    const next = makeStudio(home, { secrets: new EnvSecrets({ RUNPOD_API_KEY: RUNPOD_KEY }) })
    open.push(next)
    next.library.settings.put('cloud.overrides', { urls: { runpodRest: cloud.restUrl, runpodGraphql: cloud.graphqlUrl, podProxy: cloud.proxyTemplate } })
    return { cloud, pod, next }
  }

  it('a pod a crashed session left running is reaped on the next start and billed from when it was rented; budgets stop counting it as running', async () => {
    const { cloud, pod, next } = await afterCrash([])
    // Pods are switched off now: the pod left billing is reaped all the same.
    next.settings.update({ pods: { enabled: false } })
    const reaped = waitForEvent(next, 'pod_terminated', (e) => e.podId === pod.id)
    next.start()
    expect((await reaped).reason).toBe('left running by an earlier session')
    expect(cloud.billing()).toEqual([])
    expect(next.costs.ledger.openPodsUsd()).toBe(0)
    const charge = next.library.db.prepare('SELECT kind, quantity FROM cost_charges WHERE pod_id = ?').all(pod.id) as { kind: string; quantity: number }[]
    expect(charge).toHaveLength(1)
    expect(charge[0].kind).toBe('pod_time')
    expect(charge[0].quantity).toBeGreaterThanOrEqual(3600)
    expect(next.costs.summary().todayUsd).toBeCloseTo(0.44, 2)
  })

  it('a pod of a crashed session that was terminated from RunPod\'s console stops counting as running on the next start', async () => {
    // The person ended it on RunPod's console while the studio was closed.
    const { next } = await afterCrash([10], (pod) => { pod.terminatedAt = Date.now() })
    next.start()
    await expect.poll(() => next.costs.ledger.openPodsUsd(), { timeout: 5_000 }).toBe(0)
    // Billed to its last image (the least it certainly cost): ten minutes, for comic c1.
    expect(next.costs.ledger.comicUsd('c1')).toBeCloseTo((600 * 0.44) / 3600, 6)
  })

  it('stops cloud work at the per-comic budget, keeps what was drawn, and leaves the offline artist usable', async () => {
    const { studio, events } = await cloudStudio()
    studio.settings.update({ budgets: { comicUsd: 0.05 } })
    const comic = await make(studio, 2)
    const panels = comic.pages.flatMap((p) => p.panels)
    const done = panels.filter((p) => p.status === 'done')
    expect(done.length).toBeGreaterThanOrEqual(2)
    expect(done.length).toBeLessThan(panels.length)
    // Each refused panel keeps why, with its code, so the studio can word it in the reader's language.
    expect(panels.filter((p) => p.status === 'failed').every((p) => parseStoredError(p.error ?? '').code === 'budget')).toBe(true)
    // Images drawn side by side hold their price until charged: the cap is never passed.
    expect(studio.costs.ledger.comicUsd(comic.id)).toBeLessThanOrEqual(0.05 + 1e-9)
    expect(comic.status).toBe('partial')
    expect(events.some((e) => e.type === 'generation_complete' && e.comicId === comic.id && e.status === 'partial')).toBe(true)

    studio.settings.update({ preferredEngine: 'offline' })
    const offline = await make(studio, 1)
    expect(offline.status).toBe('done')
  })

  it('draws the first-launch sample comic offline even when a key comes from the environment: it costs nothing', async () => {
    const { studio, events } = await cloudStudio({ sampleOnFirstLaunch: true })
    const done = await waitForEvent(studio, 'generation_complete')
    expect(done.status).toBe('done')
    expect(events.filter((e) => e.type === 'route_decision')).toEqual([])
    expect(replicate!.calls.create).toBe(0)
    expect(studio.costs.ledger.totalUsd()).toBe(0)
    // A comic the person makes next goes to the cloud as usual.
    const next = await make(studio, 1)
    expect(next.status).toBe('done')
    expect(replicate!.calls.create).toBeGreaterThan(0)
  })

  it('finishes a comic stopped by its budget offline: the missing panels drawn for free, the comic done again', async () => {
    const { studio } = await cloudStudio()
    studio.settings.update({ budgets: { comicUsd: 0.05 } })
    const comic = await make(studio, 2)
    const spent = studio.costs.ledger.comicUsd(comic.id)
    const missing = comic.pages.flatMap((p) => p.panels).filter((p) => p.status === 'failed').length
    expect(missing).toBeGreaterThan(0)
    const finished = waitForEvent(studio, 'generation_complete', (e) => e.comicId === comic.id)
    expect(studio.handlers('http')['comics.retryFailed']({ comicId: comic.id, offline: true })).toEqual({ panels: missing })
    expect(studio.comic(comic.id).status).toBe('generating')
    expect(await finished).toMatchObject({ status: 'done', failed: 0 })
    const after = studio.comic(comic.id)
    expect(after.status).toBe('done')
    expect(after.pages.flatMap((p) => p.panels).every((p) => p.status === 'done' && p.error === null)).toBe(true)
    expect(studio.costs.ledger.comicUsd(comic.id)).toBe(spent)
    // Nothing left to redraw, and a comic still being made cannot be retried under itself.
    expect(studio.handlers('http')['comics.retryFailed']({ comicId: comic.id, offline: false })).toEqual({ panels: 0 })
    const { comicId: busy } = studio.create({ idea: 'A second whale', styleId: 'cinematic-photo', pages: 1, readingOrder: 'ltr', urgent: false, storyEngine: 'offline', seed: 3 })
    expect(() => studio.handlers('http')['comics.retryFailed']({ comicId: busy, offline: true })).toThrow(expect.objectContaining({ code: 'conflict' }))
    await waitForEvent(studio, 'generation_complete', (e) => e.comicId === busy)
  })

  it('a studio reopened on its library remembers the demand it was asked for before: the router weighs it from the first image', async () => {
    const log = new GenerationLog()
    const cloud = await new FakeRunpodCloud({ clock: systemClock, log, apiKey: RUNPOD_KEY }).start()
    const hosted = await new FakeRunpodServerless({ clock: systemClock, log, apiKey: RUNPOD_KEY, jobMs: 30, workers: 3 }).start()
    cleanups.push(() => cloud.close(), () => hosted.close())
    const home = tempDir()
    const before = makeStudio(home)
    before.start()
    const drawn = (await make(before)).pages.flatMap((p) => p.panels).length
    await before.close()
    const studio = makeStudio(home, { secrets: new EnvSecrets({ RUNPOD_API_KEY: RUNPOD_KEY }) })
    open.push(studio)
    studio.library.settings.put('cloud.overrides', {
      urls: { runpodRest: cloud.restUrl, runpodGraphql: cloud.graphqlUrl, podProxy: cloud.proxyTemplate, runpodServerless: hosted.baseUrl },
      poll: { jobSeconds: 0.05 },
    })
    studio.settings.update({ pods: { enabled: true }, providers: { serverlessEndpointId: 'ep-comfy' } })
    studio.start()
    const { comicId } = studio.create({ idea: 'A whale answers', styleId: 'cinematic-photo', pages: 1, readingOrder: 'ltr', urgent: true, storyEngine: 'offline', seed: 4 })
    const weighed = await waitForEvent(studio, 'route_decision', (e) => e.comicId === comicId && e.reason.startsWith('urgent demand'))
    // The earlier session's panels and this comic's first two, over the half hour a rate is measured over at least,
    // at 15 s of a pod each: far too little for a pod, yet not nothing.
    const gpus = Number(/urgent demand \(([\d.]+) GPU\)/.exec(weighed.type === 'route_decision' ? weighed.reason : '')![1])
    expect(drawn).toBeGreaterThan(3)
    expect(gpus).toBeCloseTo(((drawn + 2) * 2 * 15) / 3600, 2)
  })

  it('estimates each route before spending, naming every price with its source and date', async () => {
    const { studio } = await cloudStudio()
    const estimate = studio.handlers('http')['comics.estimate']({ styleId: 'shonen', pages: 8, urgent: false }) as ReturnType<Studio['costs']['estimate']>
    expect(estimate.images).toBe(40)
    const offline = estimate.routes.find((r) => r.engine === 'offline')!
    expect(offline.usd).toBe(0)
    const replicateRoute = estimate.routes.find((r) => r.engine === 'replicate')!
    expect(replicateRoute.usd).toBeCloseTo(40 * 0.025, 6)
    expect(replicateRoute.prices[0]).toMatchObject({ source: 'builtin', asOf: '2026-11', per: 'image' })
    expect(replicateRoute.basis).toMatch(/40/)
    // Five at once, as the studio hands them to Replicate (not Replicate's own ten): 8 rounds of 6 s.
    expect(replicateRoute.seconds).toBe(48)
    expect(estimate.routes.filter((r) => r.recommended)).toHaveLength(1)
    expect(estimate.routes.some((r) => r.engine === 'pod')).toBe(false)
    expect(estimate.budgetLeftUsd).toBeNull()
    // A new comic may spend what the tightest budget leaves: here the per-comic cap, under a daily one with room.
    studio.settings.update({ budgets: { comicUsd: 0.4, dayUsd: 5 } })
    const capped = studio.handlers('http')['comics.estimate']({ styleId: 'shonen', pages: 8, urgent: false }) as ReturnType<Studio['costs']['estimate']>
    expect(capped.budgetLeftUsd).toBeCloseTo(0.4, 9)
    expect(capped.deadlineSeconds).toBe(1_800)
    // A known count of pictures (redrawing a comic's 26 panels) is priced as it is.
    const redraw = studio.handlers('http')['comics.estimate']({ styleId: 'shonen', pages: 5, images: 26, urgent: true }) as ReturnType<Studio['costs']['estimate']>
    expect(redraw.images).toBe(26)
    expect(redraw.routes.find((r) => r.engine === 'replicate')!.usd).toBeCloseTo(26 * 0.025, 6)
  })
})
