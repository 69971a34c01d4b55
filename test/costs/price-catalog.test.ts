import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/platform/clock.ts'
import { RunpodRestClient } from '../../src/cloud/runpod-rest.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'
import { BUILTIN_AS_OF, describePrice, llmPrices, PriceCatalog } from '../../src/costs/price-catalog.ts'
import { FakeRunpodCloud } from '../fakes/runpod-pods.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'

const KEY = 'rpa_PRICES_0123456789abcdef'

let db: Database.Database
let clock: ManualClock
let cloud: FakeRunpodCloud
let rest: RunpodRestClient

beforeEach(async () => {
  db = new Database(':memory:')
  clock = new ManualClock(Date.UTC(2026, 10, 28, 8))
  cloud = await new FakeRunpodCloud({ clock, log: new GenerationLog(), apiKey: KEY }).start()
  rest = new RunpodRestClient({ baseUrl: cloud.restUrl, apiKey: KEY, clock, requestTimeoutMs: 5_000, retryAttempts: 1 })
})
afterEach(async () => {
  db.close()
  await cloud.close()
})

const catalog = (over: Partial<ConstructorParameters<typeof PriceCatalog>[0]> = {}) =>
  new PriceCatalog({ db, clock, settings: parseCloudSettings(), fetchGpus: () => rest.listGpuTypes(), ...over })

describe('price catalog', () => {
  it('before any fetch, prices with the dated built-in list and says so', () => {
    const { sheet, fetchedAt, cloud: prices } = catalog().current()
    expect(fetchedAt).toBeNull()
    expect(prices.podPerHour).toBe(0.44)
    expect(Object.values(sheet).every((p) => p.source === 'builtin' && p.asOf === BUILTIN_AS_OF)).toBe(true)
    expect(BUILTIN_AS_OF).toBe('2026-11')
    expect(describePrice(sheet.pod)).toBe('NVIDIA A40 pod $0.44/hour (built-in price list, 2026-11)')
    expect(describePrice(sheet.serverless)).toBe('NVIDIA A40 serverless $0.00034/s (built-in price list, 2026-11)')
  })

  it('reads live prices from RunPod\'s GET /catalog/gpus, caches them with their date', async () => {
    const prices = await catalog().refresh()
    expect(prices.fetchedAt).toBe(clock.now())
    expect(prices.sheet.pod).toMatchObject({ usd: 0.44, per: 'hour', source: 'catalog', asOf: '2026-11-28' })
    expect(prices.sheet.serverless).toMatchObject({ usd: 0.00034, source: 'catalog', asOf: '2026-11-28' })
    // RunPod's catalog has no Replicate or hosted-Flux prices: those stay built-in and say so.
    expect(prices.sheet.replicate).toMatchObject({ usd: 0.025, source: 'builtin', asOf: BUILTIN_AS_OF })
    expect(prices.sheet.flux).toMatchObject({ usd: 0.02, source: 'builtin' })
    // A second catalog on the same library file reads the cache without asking RunPod again.
    let asked = 0
    const cached = catalog({ fetchGpus: async () => { asked++; return [] } })
    expect(cached.current().sheet.pod.source).toBe('catalog')
    await cached.refresh()
    expect(asked).toBe(0)
  })

  it('prices the pod the user would rent: community and interruptible prices', async () => {
    const settings = parseCloudSettings({ pods: { cloud: 'COMMUNITY', capacityClass: 'interruptible', gpuTypes: ['NVIDIA RTX A6000'] } })
    const prices = await catalog({ settings }).refresh()
    expect(prices.sheet.pod).toMatchObject({ usd: 0.33, source: 'catalog', label: 'NVIDIA RTX A6000 interruptible pod' })
  })

  it('refreshes a stale cache, and keeps the dated cache when RunPod is down', async () => {
    const c = catalog({ maxAgeMs: 3_600_000 })
    await c.refresh()
    const firstFetch = clock.now()
    clock.advance(2 * 3_600_000)
    expect(c.isStale()).toBe(true)
    cloud.serverErrorsNext = 1
    const kept = await c.refresh()
    expect(kept.fetchedAt).toBe(firstFetch)
    expect(kept.sheet.pod.asOf).toBe('2026-11-28')
    clock.advance(24 * 3_600_000)
    const fresh = await c.refresh()
    expect(fresh.fetchedAt).toBe(clock.now())
    expect(fresh.sheet.pod.asOf).toBe('2026-11-29')
  })

  it('without a RunPod key there is nothing to fetch: built-in prices', async () => {
    const prices = await catalog({ fetchGpus: null }).refresh({ force: true })
    expect(prices.sheet.pod.source).toBe('builtin')
  })
})

describe('story model prices', () => {
  it('knows OpenAI models by name, dated, and a dated snapshot by its family', () => {
    expect(llmPrices('gpt-4o-mini', null)?.input).toMatchObject({ usd: 0.15, per: 'million_tokens', source: 'builtin', asOf: '2024-07' })
    expect(llmPrices('gpt-4o-mini-2024-07-18', 'https://api.openai.com/v1')?.output.usd).toBe(0.6)
  })

  it('a local OpenAI-compatible server is free; an unknown OpenAI model has no price', () => {
    expect(llmPrices('llama-3.1-8b', 'http://127.0.0.1:8080/v1')?.input).toMatchObject({ usd: 0, source: 'local' })
    expect(llmPrices('mystery-9', null)).toBeNull()
  })
})
