import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StudioEvent } from '../../src/contract/events.ts'
import { ManualClock } from '../../src/platform/clock.ts'
import { seededRandom } from '../../src/platform/random.ts'
import { CostLedger } from '../../src/costs/ledger.ts'
import { llmPrices } from '../../src/costs/price-catalog.ts'
import type { Price } from '../../src/costs/price-catalog.ts'
import { splitByWeight } from '../../src/costs/money.ts'
import { SimServerless } from '../../bench/sim/providers.ts'
import { SCENARIO } from '../../bench/sim/scenario.ts'

const POD: Price = { usd: 0.44, per: 'hour', source: 'catalog', asOf: '2026-11-28', label: 'NVIDIA A40 pod' }
const SERVERLESS: Price = { usd: 0.00034, per: 'second', source: 'builtin', asOf: '2026-11', label: 'NVIDIA A40 serverless' }
const REPLICATE: Price = { usd: 0.025, per: 'image', source: 'builtin', asOf: '2026-11', label: 'Replicate flux-dev' }

let db: Database.Database
let clock: ManualClock
let events: StudioEvent[]
let ledger: CostLedger

beforeEach(() => {
  db = new Database(':memory:')
  clock = new ManualClock(Date.UTC(2026, 10, 28, 12))
  events = []
  ledger = new CostLedger({ db, clock, timeZone: 'UTC', emit: (e) => events.push(e) })
})
afterEach(() => db.close())

const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('charges', () => {
  it('records every charge as a row with its price, source and date', () => {
    ledger.charge({ key: 'img:1', provider: 'serverless', kind: 'image', comicId: 'c1', panelId: 'p1', quantity: 12, unit: 'second', price: SERVERLESS })
    const [row] = ledger.charges()
    expect(row).toMatchObject({
      provider: 'serverless', kind: 'image', comicId: 'c1', panelId: 'p1', quantity: 12, unit: 'second',
      unitPriceUsd: 0.00034, priceSource: 'builtin', priceAsOf: '2026-11', day: '2026-11-28', month: '2026-11',
    })
    expect(row.amountUsd).toBeCloseTo(0.00408, 12)
  })

  it('counts a charge recorded twice under the same key once', () => {
    const first = ledger.charge({ key: 'img:1', provider: 'replicate', kind: 'image', comicId: 'c1', quantity: 1, unit: 'image', price: REPLICATE })
    const again = ledger.charge({ key: 'img:1', provider: 'replicate', kind: 'image', comicId: 'c1', quantity: 1, unit: 'image', price: REPLICATE })
    expect(first).toEqual({ recorded: true, amountUsd: 0.025 })
    expect(again).toEqual({ recorded: false, amountUsd: 0 })
    expect(ledger.comicUsd('c1')).toBe(0.025)
    expect(ledger.charges()).toHaveLength(1)
  })

  it('a cache hit is on the bill at $0', () => {
    ledger.charge({ key: 'img:1', provider: 'replicate', kind: 'image', comicId: 'c1', panelId: 'p1', quantity: 1, unit: 'image', price: REPLICATE })
    ledger.cacheHit({ key: 'hit:p2', comicId: 'c1', panelId: 'p2' })
    ledger.cacheHit({ key: 'hit:p2', comicId: 'c1', panelId: 'p2' })
    expect(ledger.comicUsd('c1')).toBe(0.025)
    const hit = ledger.charges().find((r) => r.kind === 'cache_hit')!
    expect(hit.amountUsd).toBe(0)
    expect(ledger.byComic()).toEqual([{ comicId: 'c1', usd: 0.025, images: 2 }])
    expect(ledger.comicTotal('c1')).toEqual({ comicId: 'c1', usd: 0.025, images: 2 })
    expect(ledger.comicTotal('never-charged')).toEqual({ comicId: 'never-charged', usd: 0, images: 0 })
  })

  it('refuses a price that cannot bill the unit', () => {
    expect(() => ledger.charge({ key: 'x', provider: 'replicate', kind: 'image', quantity: 3, unit: 'second', price: REPLICATE })).toThrow(/per image cannot bill seconds/)
  })

  it('sums per comic, day, month and provider exactly over many small charges', () => {
    for (let i = 0; i < 1000; i++) {
      clock.advance(3_600_000)
      ledger.charge({ key: `s${i}`, provider: 'serverless', kind: 'image', comicId: `c${i % 3}`, quantity: 12, unit: 'second', price: SERVERLESS })
    }
    // 1000 × 12 s × $0.00034 = $4.08 to the nano-dollar, though no single row is a round number of cents.
    expect(ledger.totalUsd()).toBe(4.08)
    expect(ledger.byComic().reduce((a, c) => a + c.usd, 0)).toBeCloseTo(4.08, 9)
    expect(ledger.byProvider()).toEqual([{ provider: 'serverless', usd: 4.08, images: 1000 }])
    const months = ledger.byMonth()
    expect(months.map((m) => m.period)).toEqual(['2026-11', '2026-12', '2027-01'])
    expect(months.reduce((a, m) => a + m.usd, 0)).toBeCloseTo(4.08, 9)
    expect(ledger.byDay()).toHaveLength(43)
    expect(ledger.dayUsd('2026-12-01')).toBeCloseTo(24 * 12 * 0.00034, 12)
  })

  it('records days in the user\'s time zone', () => {
    const kyiv = new CostLedger({ db, clock, timeZone: 'Europe/Kyiv' })
    clock.advance(11 * 3_600_000 + 30 * 60_000) // 23:30 UTC is 01:30 the next day in Kyiv
    kyiv.charge({ key: 'late', provider: 'replicate', kind: 'image', quantity: 1, unit: 'image', price: REPLICATE })
    expect(kyiv.charges()[0].day).toBe('2026-11-29')
  })
})

describe('pods', () => {
  it('pods an earlier session left open: reaped ones are billed to now, vanished ones to their last image, live and new ones stay open', () => {
    const sessionStart = clock.now() + 7_200_000
    ledger.podOpened({ podId: 'reaped', price: POD })
    ledger.podOpened({ podId: 'vanished', price: POD })
    ledger.podOpened({ podId: 'idle-vanished', price: POD })
    ledger.podOpened({ podId: 'still-running', price: POD })
    clock.advance(600_000)
    ledger.podServed({ key: 'v1', podId: 'vanished', comicId: 'A', panelId: 'a1', seconds: 12 })
    clock.advance(7_200_000)
    ledger.podOpened({ podId: 'this-session', price: POD })
    const hour = (s: number) => (s * 0.44) / 3600
    expect(ledger.openPodsUsd()).toBeCloseTo(4 * hour(7800), 9)

    // What RunPod still runs of ours: the crashed session's pod that is about to be reaped, and one it keeps.
    expect(ledger.podsVanished(['reaped', 'still-running'], sessionStart).sort()).toEqual(['idle-vanished', 'vanished'])
    expect(ledger.podReaped('reaped').amountUsd).toBeCloseTo(hour(7800), 9)
    const billed = (id: string) => ledger.charges().filter((c) => c.podId === id).reduce((a, c) => a + c.amountUsd, 0)
    expect(billed('vanished')).toBeCloseTo(hour(600), 9)
    expect(ledger.comicUsd('A')).toBeCloseTo(hour(600), 9)
    expect(billed('idle-vanished')).toBe(0)
    // Only the pod RunPod still runs and this session's own pod keep counting.
    expect(ledger.openPodsUsd()).toBeCloseTo(hour(7800), 9)
    // Nothing is closed twice.
    expect(ledger.podsVanished([], sessionStart)).toEqual(['still-running'])
    expect(ledger.podReaped('reaped').recorded).toBe(false)
    expect(ledger.podReaped('never-opened').recorded).toBe(false)
    expect(ledger.openPodsUsd()).toBeCloseTo(0, 9)
  })

  it('bills whole seconds from create to terminate and shares them by image-seconds served', () => {
    ledger.podOpened({ podId: 'pod1', price: POD })
    // Boot, then three images for comic A and one for comic B, then idle until shutdown.
    ledger.podServed({ key: 'u1', podId: 'pod1', comicId: 'A', panelId: 'a1', seconds: 12 })
    ledger.podServed({ key: 'u2', podId: 'pod1', comicId: 'A', panelId: 'a2', seconds: 12 })
    ledger.podServed({ key: 'u3', podId: 'pod1', comicId: 'B', panelId: 'b1', seconds: 12 })
    ledger.podServed({ key: 'u4', podId: 'pod1', comicId: 'A', panelId: 'a3', seconds: 12 })
    ledger.podServed({ key: 'u4', podId: 'pod1', comicId: 'A', panelId: 'a3', seconds: 12 })
    // While the pod runs, each comic shows at least the time spent on it.
    expect(ledger.comicUsd('A')).toBeCloseTo((36 * 0.44) / 3600, 12)
    expect(ledger.comicTotal('A').images).toBe(3)
    clock.advance(600_000)
    const bill = ledger.podClosed({ podId: 'pod1', seconds: 599.2 })
    expect(bill.recorded).toBe(true)
    const total = (600 * 0.44) / 3600
    expect(bill.amountUsd).toBeCloseTo(total, 9)
    expect(ledger.comicUsd('A')).toBeCloseTo(total * 0.75, 9)
    expect(ledger.comicUsd('B')).toBeCloseTo(total * 0.25, 9)
    expect(ledger.comicUsd('A') + ledger.comicUsd('B')).toBe(ledger.totalUsd())
    expect(ledger.comicTotal('B')).toEqual({ comicId: 'B', usd: ledger.comicUsd('B'), images: 1 })
    const rows = ledger.charges()
    expect(rows.map((r) => [r.comicId, r.quantity])).toEqual([['A', 450], ['B', 150]])
    expect(rows[0].note).toContain('3 image(s), 36 of 48 image-seconds of a 600 s pod')
    expect(rows.every((r) => r.unitPriceUsd === 0.44 / 3600 && r.priceSource === 'catalog' && r.priceAsOf === '2026-11-28')).toBe(true)
    // The pod manager's bill arriving twice does not bill twice.
    expect(ledger.podClosed({ podId: 'pod1', seconds: 599.2 }).recorded).toBe(false)
    expect(ledger.totalUsd()).toBeCloseTo(total, 9)
    expect(ledger.byProvider()).toEqual([{ provider: 'pod', usd: ledger.totalUsd(), images: 4 }])
  })

  it('a pod that served nothing still bills its boot and idle time, to no comic', async () => {
    ledger.podOpened({ podId: 'pod2', price: POD })
    clock.advance(270_000)
    expect(ledger.openPodsUsd()).toBeCloseTo((270 * 0.44) / 3600, 12)
    ledger.podClosed({ podId: 'pod2', seconds: 270 })
    expect(ledger.openPodsUsd()).toBe(0)
    const [row] = ledger.charges()
    expect(row.comicId).toBeNull()
    expect(row.note).toContain('no image served')
    expect(ledger.totalUsd()).toBeCloseTo((270 * 0.44) / 3600, 9)
    await settle()
    expect(events.at(-1)).toEqual({ type: 'cost_update', comicId: null, totalUsd: ledger.monthUsd() })
  })

  it('never loses or invents a nano-dollar when sharing', () => {
    const rand = seededRandom(7)
    for (let i = 0; i < 200; i++) {
      const total = Math.floor(rand() * 1e9)
      const weights = Array.from({ length: 1 + Math.floor(rand() * 7) }, () => rand() * 100)
      const parts = splitByWeight(total, weights)
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
      parts.forEach((p, k) => expect(Math.abs(p - (total * weights[k]) / weights.reduce((a, b) => a + b))).toBeLessThan(1))
    }
  })
})

describe('retries are charged as the provider charges them', () => {
  it('a serverless job that failed after 20 s is billed 20 s, then its retry 12 s', () => {
    // The simulated RunPod serverless endpoint bills running seconds; its idle tail goes to the ledger as well.
    let done = 0
    // A slow model: 30 s per image, and the first run crashes after 20 s of work.
    const serverless30 = new SimServerless(clock, seededRandom(1), (seconds, tag) => {
      ledger.charge({ key: `idle:${clock.now()}`, provider: 'serverless', kind: 'idle', comicId: tag, quantity: seconds, unit: 'second', price: SERVERLESS })
    }, { ...SCENARIO.serverless, secondsPerImage: 30 })
    const onFail = (_err: unknown, ran: number) => {
      ledger.charge({ key: 'fail:c1:p1:1', provider: 'serverless', kind: 'failed_attempt', comicId: 'c1', panelId: 'p1', quantity: ran, unit: 'second', price: SERVERLESS })
      // The provider's status arrives twice (a poll and a webhook): still one charge.
      ledger.charge({ key: 'fail:c1:p1:1', provider: 'serverless', kind: 'failed_attempt', comicId: 'c1', panelId: 'p1', quantity: ran, unit: 'second', price: SERVERLESS })
      serverless30.submit({ tag: 'c1', onDone: (s) => {
        done++
        ledger.charge({ key: 'img:c1:p1', provider: 'serverless', kind: 'image', comicId: 'c1', panelId: 'p1', quantity: s, unit: 'second', price: SERVERLESS })
      }, onFail: () => undefined })
    }
    serverless30.submit({ tag: 'c1', failAfterSeconds: 20, onDone: () => done++, onFail })
    clock.advance(120_000)
    expect(done).toBe(1)
    const billed30 = serverless30.stats.runningSeconds + serverless30.stats.idleSeconds
    expect(billed30).toBe(20 + 30 + 5)
    expect(ledger.comicUsd('c1')).toBeCloseTo(billed30 * 0.00034, 12)
    expect(ledger.charges().map((r) => [r.kind, r.quantity])).toEqual([['failed_attempt', 20], ['image', 30], ['idle', 5]])
  })

  it('a cancelled serverless job is billed for the seconds it ran', () => {
    const serverless = new SimServerless(clock, seededRandom(2))
    let done = 0
    let started = false
    const job = serverless.submit({ tag: 'c1', onStart: () => { started = true }, onDone: () => done++, onFail: () => undefined })
    while (!started) clock.advance(1_000)
    clock.advance(8_000)
    const ran = job.cancel()
    expect(ran).toBeGreaterThanOrEqual(8)
    expect(ran).toBeLessThan(9)
    expect(done).toBe(0)
    ledger.charge({ key: 'cancel:c1:p1', provider: 'serverless', kind: 'failed_attempt', comicId: 'c1', panelId: 'p1', quantity: ran, unit: 'second', price: SERVERLESS })
    expect(ledger.comicUsd('c1')).toBeCloseTo(ran * 0.00034, 8)
    serverless.submit({ tag: 'c1', onDone: (s) => {
      done++
      ledger.charge({ key: 'img:c1:p1', provider: 'serverless', kind: 'image', comicId: 'c1', panelId: 'p1', quantity: s, unit: 'second', price: SERVERLESS })
    }, onFail: () => undefined })
    clock.advance(60_000)
    expect(done).toBe(1)
    expect(ledger.comicUsd('c1')).toBeCloseTo((ran + 12) * 0.00034, 8)
  })

  it('a failed Replicate prediction costs nothing: only delivered images are billed', () => {
    // Replicate bills official models per output image; the ledger records what the provider bills.
    ledger.charge({ key: 'img:c2:p1:2', provider: 'replicate', kind: 'image', comicId: 'c2', panelId: 'p1', quantity: 1, unit: 'image', price: REPLICATE })
    expect(ledger.comicUsd('c2')).toBe(0.025)
  })
})

describe('story model calls', () => {
  it('bills input and output tokens at their own prices', () => {
    const prices = llmPrices('gpt-4o-mini', null)
    ledger.llmCall({ key: 'llm:c1:plot', comicId: 'c1', provider: 'openai', model: 'gpt-4o-mini', promptTokens: 2_000, completionTokens: 1_000, prices })
    ledger.llmCall({ key: 'llm:c1:plot', comicId: 'c1', provider: 'openai', model: 'gpt-4o-mini', promptTokens: 2_000, completionTokens: 1_000, prices })
    expect(ledger.comicUsd('c1')).toBeCloseTo(2_000 * 0.15e-6 + 1_000 * 0.6e-6, 12)
    expect(ledger.charges().map((r) => [r.unit, r.quantity, r.priceAsOf])).toEqual([['token', 2000, '2024-07'], ['token', 1000, '2024-07']])
  })

  it('records an unknown model at $0 and says so', () => {
    ledger.llmCall({ key: 'llm:c1:x', comicId: 'c1', provider: 'openai', model: 'mystery-9', promptTokens: 10, completionTokens: 10, prices: llmPrices('mystery-9', null) })
    expect(ledger.comicUsd('c1')).toBe(0)
    expect(ledger.charges()[0].note).toBe('mystery-9: no price known, recorded at $0')
  })
})

describe('cost_update events', () => {
  it('announce the comic\'s running total', () => {
    ledger.charge({ key: 'a', provider: 'replicate', kind: 'image', comicId: 'c1', quantity: 1, unit: 'image', price: REPLICATE })
    ledger.charge({ key: 'b', provider: 'replicate', kind: 'image', comicId: 'c1', quantity: 1, unit: 'image', price: REPLICATE })
    ledger.charge({ key: 'b', provider: 'replicate', kind: 'image', comicId: 'c1', quantity: 1, unit: 'image', price: REPLICATE })
    expect(events).toEqual([
      { type: 'cost_update', comicId: 'c1', totalUsd: 0.025 },
      { type: 'cost_update', comicId: 'c1', totalUsd: 0.05 },
    ])
  })

  it('inside a transaction, announce only what was committed', async () => {
    db.transaction(() => {
      ledger.charge({ key: 'kept', provider: 'replicate', kind: 'image', comicId: 'c1', quantity: 1, unit: 'image', price: REPLICATE })
    })()
    expect(() => db.transaction(() => {
      ledger.charge({ key: 'undone', provider: 'replicate', kind: 'image', comicId: null, quantity: 1, unit: 'image', price: REPLICATE })
      throw new Error('rolled back')
    })()).toThrow('rolled back')
    expect(events).toEqual([])
    await settle()
    expect(events).toEqual([{ type: 'cost_update', comicId: 'c1', totalUsd: 0.025 }])
    expect(ledger.totalUsd()).toBe(0.025)
  })
})

it('summarizes for the costs screen', () => {
  ledger.charge({ key: 'a', provider: 'replicate', kind: 'image', comicId: 'c1', quantity: 1, unit: 'image', price: REPLICATE })
  ledger.podOpened({ podId: 'p', price: POD })
  clock.advance(60_000)
  const s = ledger.summary()
  expect(s).toMatchObject({ totalUsd: 0.025, todayUsd: 0.025, monthUsd: 0.025, byDay: [{ period: '2026-11-28', usd: 0.025 }], byMonth: [{ period: '2026-11', usd: 0.025 }] })
  expect(s.openPodsUsd).toBeCloseTo((60 * 0.44) / 3600, 12)
})
