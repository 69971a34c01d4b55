import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { systemClock } from '../../src/platform/clock.ts'
import { FakeRunpodCloud } from '../fakes/runpod-pods.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { launchChromium, startServe, type ServeProcess } from '../support/browser.ts'
import { makeStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'
import { api, createFromForm, fillNewComic, shot, studioFrom, waitForComic, type Studio } from './flows.ts'

// Rented servers keep billing while idle. After a comic, the person sees the pod that drew it on the Costs
// screen, what it has billed and when it will shut itself down, and can stop paying for it at once. kitsumy serve
// rents the pod from (a fake) RunPod over real HTTP and draws on its worker.
const KEY = 'rpa_PODS_UI_0123456789abcdef'
let browser: Browser
let serve: ServeProcess
let cloud: FakeRunpodCloud
let hosted: FakeRunpodServerless
let studio: Studio

beforeAll(async () => {
  const log = new GenerationLog()
  cloud = await new FakeRunpodCloud({ clock: systemClock, log, apiKey: KEY, bootMs: 300, warmupMs: 200, genMs: 30 }).start()
  // RunPod's hosted Flux: with a RunPod key it draws the first panel while the pod boots.
  hosted = await new FakeRunpodServerless({ clock: systemClock, log, apiKey: KEY, jobMs: 30, workers: 3 }).start()
  const home = tempDir()
  const seed = makeStudio(home)
  seed.library.settings.put('cloud.overrides', {
    urls: { runpodRest: cloud.restUrl, runpodGraphql: cloud.graphqlUrl, podProxy: cloud.proxyTemplate, runpodServerless: hosted.baseUrl },
    pods: { maxPods: 1 },
    poll: { jobSeconds: 0.05, bootSeconds: 0.1, podStatusSeconds: 0.2, workerHealthSeconds: 0.5 },
  })
  await seed.close()
  ;[browser, serve] = await Promise.all([launchChromium(), startServe(home, { RUNPOD_API_KEY: KEY, REPLICATE_API_TOKEN: '', OPENAI_API_KEY: '' })])
  studio = studioFrom(serve.url)
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await cloud?.close()
  await hosted?.close()
})

describe('servers running now, in Chromium', () => {
  it('shows the idle pod a comic left billing, with its bill and shutdown countdown, and shuts it down on request', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } })
    await page.goto(serve.url)
    await fillNewComic(page, 'A lighthouse keeper paints the storm', 1)
    // Panels waiting for the booting pod say so on their tiles, however briefly (the fake pod boots in half a second).
    await page.evaluate(() => {
      const w = window as unknown as { waitedForPod: string[] }
      w.waitedForPod = []
      new MutationObserver(() => {
        for (const tile of document.querySelectorAll('[data-waiting=pod]')) w.waitedForPod.push(tile.getAttribute('aria-label') ?? '')
      }).observe(document.body, { subtree: true, childList: true, attributes: true })
    })
    const comicId = await createFromForm(page)
    const comic = await waitForComic(studio, comicId)
    expect(comic.status).toBe('done')
    const waited = await page.evaluate(() => (window as unknown as { waitedForPod: string[] }).waitedForPod)
    expect(waited.length).toBeGreaterThan(0)
    expect(waited[0]).toMatch(/^Page 1, panel \d+: Waiting for a GPU server$/)
    expect(await page.locator('[data-waiting=pod]').count()).toBe(0)
    // The first panel came from the hosted Flux at once, the rest from the pod, which is still up, waiting out its
    // keep-alive: its time is billed when it ends, so the ledger has no pod row yet.
    expect((await api(studio, 'costs.summary', {})).byProvider.map((p) => p.engine)).toEqual(['runpod-flux'])
    expect(await api(studio, 'pods.list', {})).toMatchObject([{ state: 'idle', usdPerHour: 0.44 }])

    await page.getByTestId('nav-costs').click()
    const pod = page.getByTestId('running-pod')
    await pod.waitFor()
    expect(await pod.getAttribute('data-state')).toBe('idle')
    await expect.poll(() => pod.textContent(), { timeout: 5_000 }).toMatch(/NVIDIA A40idle, shuts down in 0:[0-3]\d\$\d+\.\d+ so far · \$0\.44\/h/)
    await shot(page, 'ui-costs-pods')

    await page.getByTestId('stop-pods').click()
    await expect.poll(() => page.getByTestId('pods-stopped').textContent(), { timeout: 5_000 }).toBe('Shut down 1 server. Pictures still to draw go to the per-image services; no server is rented for the next 10 min (turn servers off in Settings to stop them for good).')
    expect(await pod.count()).toBe(0)
    expect(await api(studio, 'pods.list', {})).toEqual([])
    expect([...cloud.pods.values()].map((p) => cloud.status(p))).toEqual(['TERMINATED'])
    expect(cloud.billing()).toEqual([])
    // Its whole time is in the ledger, and the screen shows it.
    await expect.poll(async () => (await api(studio, 'costs.summary', {})).byProvider.find((p) => p.engine === 'pod')?.usd ?? 0, { timeout: 5_000 }).toBeGreaterThan(0)
    await expect.poll(() => page.getByTestId('costs').textContent(), { timeout: 5_000 }).toContain('Rented GPU server')
    await shot(page, 'ui-costs-pods-stopped')
    await page.close()
  })
})
