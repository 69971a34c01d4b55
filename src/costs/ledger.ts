import type Database from 'better-sqlite3'
import type { StudioEvent } from '../contract/events.ts'
import type { Clock } from '../platform/clock.ts'
import { splitByWeight, toNano, toUsd } from './money.ts'
import type { LlmPrices, Price, PriceSource } from './price-catalog.ts'
import { migrateCosts } from './schema.ts'

// What a row of the ledger is for. Retries are rows of their own: a provider that bills a failed run bills it.
export type ChargeKind = 'image' | 'failed_attempt' | 'cache_hit' | 'pod_time' | 'idle' | 'llm'
export type ChargeUnit = 'image' | 'second' | 'megapixel' | 'token'

export interface ChargeInput {
  // Idempotency key: a charge recorded twice under the same key counts once.
  key: string
  provider: string
  kind: ChargeKind
  comicId?: string | null
  panelId?: string | null
  podId?: string | null
  quantity: number
  unit: ChargeUnit
  price: Price
  // The amount the provider itself stated (RunPod's Flux endpoint returns one); else quantity × unit price.
  amountUsd?: number
  at?: number
  note?: string | null
}

export interface ChargeOutcome {
  recorded: boolean
  amountUsd: number
}

export interface PodBillInput {
  podId: string
  // From create to terminate, boot and idle included (the pod manager's bill).
  seconds: number
  at?: number
}

export interface LedgerOptions {
  db: Database.Database
  clock: Clock
  // IANA zone for days and months; the system's own by default.
  timeZone?: string
  emit?: (event: StudioEvent) => void
}

export interface ProviderTotal { provider: string; usd: number; images: number }
export interface ComicTotal { comicId: string; usd: number; images: number }
export interface PeriodTotal { period: string; usd: number }

export interface LedgerSummary {
  totalUsd: number
  todayUsd: number
  monthUsd: number
  // Pods still running: their time so far, not yet on a bill.
  openPodsUsd: number
  byComic: ComicTotal[]
  byProvider: ProviderTotal[]
  byDay: PeriodTotal[]
  byMonth: PeriodTotal[]
}

export interface ChargeRow {
  key: string
  at: number
  day: string
  month: string
  provider: string
  kind: ChargeKind
  comicId: string | null
  panelId: string | null
  podId: string | null
  quantity: number
  unit: ChargeUnit
  unitPriceUsd: number
  amountUsd: number
  priceSource: string
  priceAsOf: string
  note: string | null
}

const PER_UNIT: Record<Price['per'], Partial<Record<ChargeUnit, number>>> = {
  hour: { second: 1 / 3600 },
  second: { second: 1 },
  image: { image: 1 },
  megapixel: { megapixel: 1 },
  million_tokens: { token: 1 / 1_000_000 },
}

// The price of one unit of quantity; a price quoted per hour bills seconds, per million tokens bills tokens.
export function unitPrice(price: Price, unit: ChargeUnit): number {
  const factor = PER_UNIT[price.per][unit]
  if (factor === undefined) throw new Error(`a price per ${price.per} cannot bill ${unit}s`)
  return price.usd * factor
}

const FREE: Price = { usd: 0, per: 'image', source: 'local', asOf: 'now', label: 'library cache' }

// Every charge as a row in the library's SQLite file; totals per comic, day, month and provider.
export class CostLedger {
  readonly db: Database.Database
  private readonly clock: Clock
  private readonly emit: ((event: StudioEvent) => void) | null
  private readonly dayFormat: Intl.DateTimeFormat
  private readonly s: ReturnType<typeof prepare>

  constructor(opts: LedgerOptions) {
    migrateCosts(opts.db)
    this.db = opts.db
    this.clock = opts.clock
    this.emit = opts.emit ?? null
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: opts.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    this.s = prepare(opts.db)
  }

  dayOf(ms: number): string {
    return this.dayFormat.format(ms)
  }

  charge(input: ChargeInput): ChargeOutcome {
    if (!(input.quantity >= 0)) throw new Error(`charge ${input.key}: quantity must be ≥ 0`)
    const perUnit = unitPrice(input.price, input.unit)
    const amount = toNano(input.amountUsd ?? input.quantity * perUnit)
    const at = input.at ?? this.clock.now()
    const day = this.dayOf(at)
    const recorded = this.s.insert.run({
      key: input.key, at, day, month: day.slice(0, 7), provider: input.provider, kind: input.kind,
      comicId: input.comicId ?? null, panelId: input.panelId ?? null, podId: input.podId ?? null,
      quantity: input.quantity, unit: input.unit, unitPrice: perUnit, amount,
      source: input.price.source, asOf: input.price.asOf, note: input.note ?? null,
    }).changes > 0
    if (recorded) this.announce(input.key, input.comicId ?? null)
    return { recorded, amountUsd: recorded ? toUsd(amount) : 0 }
  }

  // An image the library already had: recorded so the comic's bill shows it, at no cost.
  cacheHit(input: { key: string; comicId: string | null; panelId: string | null; at?: number }): ChargeOutcome {
    return this.charge({ ...input, provider: 'cache', kind: 'cache_hit', quantity: 1, unit: 'image', price: FREE, note: 'already in the library' })
  }

  // One story-model call: input and output tokens at their own prices. An unknown model is recorded at $0 and says so.
  llmCall(input: { key: string; comicId: string | null; provider: string; model: string; promptTokens: number; completionTokens: number; prices: LlmPrices | null; at?: number }): ChargeOutcome {
    const unknown = (label: string): Price => ({ usd: 0, per: 'million_tokens', source: 'builtin', asOf: 'unknown', label })
    const note = input.prices ? input.model : `${input.model}: no price known, recorded at $0`
    const common = { provider: input.provider, kind: 'llm' as const, comicId: input.comicId, unit: 'token' as const, at: input.at, note }
    return this.db.transaction(() => {
      const a = this.charge({ ...common, key: `${input.key}:in`, quantity: input.promptTokens, price: input.prices?.input ?? unknown(`${input.model} input`) })
      const b = this.charge({ ...common, key: `${input.key}:out`, quantity: input.completionTokens, price: input.prices?.output ?? unknown(`${input.model} output`) })
      return { recorded: a.recorded || b.recorded, amountUsd: a.amountUsd + b.amountUsd }
    })()
  }

  // A pod started billing. Its time is charged when it ends, shared among the comics it served.
  podOpened(input: { podId: string; provider?: string; price: Price; at?: number }): void {
    const perSecond = unitPrice(input.price, 'second')
    this.s.openPod.run(input.podId, input.provider ?? 'pod', perSecond * 3600, input.price.source, input.price.asOf, input.at ?? this.clock.now())
  }

  // GPU seconds a pod spent on one image: the weight by which that comic shares the pod's bill.
  // A pod an earlier session left running (it crashed or was killed), terminated now by this one: billed from
  // when that session opened it to `at`. Nothing happens for a pod this ledger never opened or already closed.
  podReaped(podId: string, at: number = this.clock.now()): ChargeOutcome {
    const pod = this.s.pod.get(podId)
    if (!pod || pod.closed_at !== null) return { recorded: false, amountUsd: 0 }
    return this.podClosed({ podId, seconds: Math.max(0, at - pod.opened_at) / 1000, at })
  }

  // Pods an earlier session opened that RunPod no longer runs (ended while the studio was closed, e.g. from
  // RunPod's console): left open they would count as running forever. When they ended is unknown; they are billed
  // up to the last image they served (or their opening), the least they certainly cost. `alive`: the ids RunPod
  // still runs; only pods opened before `openedBefore` (this session's start) are looked at.
  podsVanished(alive: readonly string[], openedBefore: number): string[] {
    const keep = new Set(alive)
    const closed: string[] = []
    for (const p of this.s.openPods.all()) {
      if (p.opened_at >= openedBefore || keep.has(p.pod_id)) continue
      const last = this.s.lastServed.get(p.pod_id)?.at ?? p.opened_at
      if (this.podClosed({ podId: p.pod_id, seconds: Math.max(0, last - p.opened_at) / 1000 }).recorded) closed.push(p.pod_id)
    }
    return closed
  }

  podServed(input: { key: string; podId: string; comicId: string | null; panelId: string | null; seconds: number; at?: number }): boolean {
    const recorded = this.s.usage.run(input.key, input.podId, input.comicId, input.panelId, Math.max(0, input.seconds), input.at ?? this.clock.now()).changes > 0
    if (recorded && input.comicId !== null) this.announceTotal(input.comicId)
    return recorded
  }

  // The pod ended: bill whole seconds from create to terminate and share them by image-seconds served.
  podClosed(bill: PodBillInput): ChargeOutcome {
    return this.db.transaction((): ChargeOutcome => {
      const pod = this.s.pod.get(bill.podId)
      if (!pod) throw new Error(`pod ${bill.podId} was never opened in the ledger`)
      const at = bill.at ?? this.clock.now()
      if (this.s.closePod.run(at, bill.podId).changes === 0) return { recorded: false, amountUsd: 0 }
      const seconds = Math.max(0, Math.ceil(bill.seconds - 1e-6))
      const price: Price = { usd: pod.usd_per_hour, per: 'hour', source: pod.price_source as PriceSource, asOf: pod.price_as_of, label: 'pod' }
      const total = toNano(seconds * unitPrice(price, 'second'))
      const shares = this.s.usageByComic.all(bill.podId)
      const served = shares.reduce((a, s) => a + s.seconds, 0)
      const parts = shares.length > 0 ? splitByWeight(total, shares.map((s) => s.seconds)) : [total]
      const who = shares.length > 0 ? shares : [{ comic_id: null, seconds: 0, images: 0 }]
      who.forEach((share, i) => {
        const fraction = shares.length > 0 ? share.seconds / served : 1
        this.charge({
          key: `pod:${bill.podId}:${share.comic_id ?? '-'}`,
          provider: pod.provider, kind: 'pod_time', comicId: share.comic_id, podId: bill.podId,
          quantity: seconds * fraction, unit: 'second', price, amountUsd: toUsd(parts[i]), at,
          note: shares.length > 0
            ? `${share.images} image(s), ${Math.round(share.seconds)} of ${Math.round(served)} image-seconds of a ${seconds} s pod (boot and idle shared)`
            : `${seconds} s of boot and idle, no image served`,
        })
      })
      return { recorded: true, amountUsd: toUsd(total) }
    })()
  }

  comicUsd(comicId: string): number {
    return toUsd(this.s.comicNano.get(comicId)!.nano + this.accruedNano(comicId))
  }

  // One comic's cost so far (its share of pods still running included) and the images it was charged for.
  comicTotal(comicId: string): ComicTotal {
    return { comicId, usd: this.comicUsd(comicId), images: this.s.comicImages.get({ comicId })!.images }
  }

  totalUsd(): number {
    return toUsd(this.s.totalNano.get()!.nano)
  }

  dayUsd(day: string = this.dayOf(this.clock.now())): number {
    return toUsd(this.s.dayNano.get(day)!.nano)
  }

  monthUsd(month: string = this.dayOf(this.clock.now()).slice(0, 7)): number {
    return toUsd(this.s.monthNano.get(month)!.nano)
  }

  // Pods still billing: their time so far at their price (budgets count it before the bill arrives).
  openPodsUsd(now: number = this.clock.now()): number {
    let usd = 0
    for (const p of this.s.openPods.all()) usd += (Math.max(0, now - p.opened_at) / 3_600_000) * p.usd_per_hour
    return usd
  }

  byProvider(): ProviderTotal[] {
    return this.s.byProvider.all().map((r) => ({ provider: r.provider, usd: toUsd(r.nano), images: r.images }))
  }

  byComic(): ComicTotal[] {
    return this.s.byComic.all().map((r) => ({ comicId: r.comic_id, usd: toUsd(r.nano), images: r.images }))
  }

  byDay(): PeriodTotal[] {
    return this.s.byDay.all().map((r) => ({ period: r.period, usd: toUsd(r.nano) }))
  }

  byMonth(): PeriodTotal[] {
    return this.s.byMonth.all().map((r) => ({ period: r.period, usd: toUsd(r.nano) }))
  }

  summary(): LedgerSummary {
    return {
      totalUsd: this.totalUsd(), todayUsd: this.dayUsd(), monthUsd: this.monthUsd(), openPodsUsd: this.openPodsUsd(),
      byComic: this.byComic(), byProvider: this.byProvider(), byDay: this.byDay(), byMonth: this.byMonth(),
    }
  }

  charges(filter: { comicId?: string } = {}): ChargeRow[] {
    const rows = filter.comicId === undefined ? this.s.allRows.all() : this.s.comicRows.all(filter.comicId)
    return rows.map((r) => ({
      key: r.idem_key, at: r.at, day: r.day, month: r.month, provider: r.provider, kind: r.kind as ChargeKind,
      comicId: r.comic_id, panelId: r.panel_id, podId: r.pod_id, quantity: r.quantity, unit: r.unit as ChargeUnit,
      unitPriceUsd: r.unit_price_usd, amountUsd: toUsd(r.amount_nusd), priceSource: r.price_source, priceAsOf: r.price_as_of, note: r.note,
    }))
  }

  // The comic's share of pods still running: at least the seconds they spent on it.
  private accruedNano(comicId: string): number {
    return toNano(this.s.accrued.get(comicId)!.usd)
  }

  private announce(key: string, comicId: string | null): void {
    if (comicId !== null) this.announceTotal(comicId)
    else this.announceMonth(key)
  }

  // Inside a caller's transaction (a queue completion), announce only once it has committed.
  private announceTotal(comicId: string): void {
    const emit = this.emit
    if (!emit) return
    const send = () => emit({ type: 'cost_update', comicId, totalUsd: this.comicUsd(comicId) })
    if (this.db.inTransaction) queueMicrotask(send)
    else send()
  }

  // A charge no comic owns (an idle pod's time) moves the month's total.
  private announceMonth(key: string): void {
    const emit = this.emit
    if (!emit) return
    const send = () => {
      if (this.s.exists.get(key)) emit({ type: 'cost_update', comicId: null, totalUsd: this.monthUsd() })
    }
    if (this.db.inTransaction) queueMicrotask(send)
    else send()
  }
}

interface Row {
  idem_key: string; at: number; day: string; month: string; provider: string; kind: string; comic_id: string | null
  panel_id: string | null; pod_id: string | null; quantity: number; unit: string; unit_price_usd: number
  amount_nusd: number; price_source: string; price_as_of: string; note: string | null
}

function prepare(db: Database.Database) {
  type Nano = { nano: number }
  const images = "sum(kind IN ('image','cache_hit'))"
  return {
    insert: db.prepare(`INSERT OR IGNORE INTO cost_charges (idem_key, at, day, month, provider, kind, comic_id, panel_id, pod_id,
      quantity, unit, unit_price_usd, amount_nusd, price_source, price_as_of, note) VALUES (@key, @at, @day, @month, @provider, @kind,
      @comicId, @panelId, @podId, @quantity, @unit, @unitPrice, @amount, @source, @asOf, @note)`),
    exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM cost_charges WHERE idem_key = ?'),
    openPod: db.prepare<[string, string, number, string, string, number]>(`INSERT OR IGNORE INTO cost_pods
      (pod_id, provider, usd_per_hour, price_source, price_as_of, opened_at) VALUES (?, ?, ?, ?, ?, ?)`),
    pod: db.prepare<[string], { provider: string; usd_per_hour: number; price_source: string; price_as_of: string; opened_at: number; closed_at: number | null }>(
      'SELECT provider, usd_per_hour, price_source, price_as_of, opened_at, closed_at FROM cost_pods WHERE pod_id = ?'),
    closePod: db.prepare<[number, string]>('UPDATE cost_pods SET closed_at = ? WHERE pod_id = ? AND closed_at IS NULL'),
    openPods: db.prepare<[], { pod_id: string; opened_at: number; usd_per_hour: number }>('SELECT pod_id, opened_at, usd_per_hour FROM cost_pods WHERE closed_at IS NULL'),
    lastServed: db.prepare<[string], { at: number | null }>('SELECT max(at) AS at FROM cost_pod_usage WHERE pod_id = ?'),
    usage: db.prepare<[string, string, string | null, string | null, number, number]>(`INSERT OR IGNORE INTO cost_pod_usage
      (idem_key, pod_id, comic_id, panel_id, seconds, at) VALUES (?, ?, ?, ?, ?, ?)`),
    usageByComic: db.prepare<[string], { comic_id: string | null; seconds: number; images: number }>(`SELECT comic_id,
      sum(seconds) AS seconds, count(*) AS images FROM cost_pod_usage WHERE pod_id = ? GROUP BY comic_id ORDER BY min(at), comic_id`),
    accrued: db.prepare<[string], { usd: number }>(`SELECT coalesce(sum(u.seconds * p.usd_per_hour / 3600.0), 0) AS usd
      FROM cost_pod_usage u JOIN cost_pods p ON p.pod_id = u.pod_id WHERE u.comic_id = ? AND p.closed_at IS NULL`),
    comicNano: db.prepare<[string], Nano>('SELECT coalesce(sum(amount_nusd), 0) AS nano FROM cost_charges WHERE comic_id = ?'),
    comicImages: db.prepare<[{ comicId: string }], { images: number }>(`SELECT coalesce(${images}, 0)
      + (SELECT count(*) FROM cost_pod_usage WHERE comic_id = @comicId) AS images FROM cost_charges WHERE comic_id = @comicId`),
    totalNano: db.prepare<[], Nano>('SELECT coalesce(sum(amount_nusd), 0) AS nano FROM cost_charges'),
    dayNano: db.prepare<[string], Nano>('SELECT coalesce(sum(amount_nusd), 0) AS nano FROM cost_charges WHERE day = ?'),
    monthNano: db.prepare<[string], Nano>('SELECT coalesce(sum(amount_nusd), 0) AS nano FROM cost_charges WHERE month = ?'),
    byProvider: db.prepare<[], { provider: string; nano: number; images: number }>(`SELECT provider, sum(amount_nusd) AS nano,
      ${images} + coalesce((SELECT count(*) FROM cost_pod_usage u JOIN cost_pods p ON p.pod_id = u.pod_id WHERE p.provider = c.provider), 0) AS images
      FROM cost_charges c GROUP BY provider ORDER BY nano DESC, provider`),
    byComic: db.prepare<[], { comic_id: string; nano: number; images: number }>(`SELECT comic_id, sum(amount_nusd) AS nano,
      ${images} + coalesce((SELECT count(*) FROM cost_pod_usage u WHERE u.comic_id = c.comic_id), 0) AS images
      FROM cost_charges c WHERE comic_id IS NOT NULL GROUP BY comic_id ORDER BY max(at) DESC, comic_id`),
    byDay: db.prepare<[], { period: string; nano: number }>('SELECT day AS period, sum(amount_nusd) AS nano FROM cost_charges GROUP BY day ORDER BY day'),
    byMonth: db.prepare<[], { period: string; nano: number }>('SELECT month AS period, sum(amount_nusd) AS nano FROM cost_charges GROUP BY month ORDER BY month'),
    allRows: db.prepare<[], Row>('SELECT * FROM cost_charges ORDER BY seq'),
    comicRows: db.prepare<[string], Row>('SELECT * FROM cost_charges WHERE comic_id = ? ORDER BY seq'),
  }
}
