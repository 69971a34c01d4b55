import type Database from 'better-sqlite3'
import { z } from 'zod'
import type { PriceSource, PriceUnit } from '../contract/api.ts'
import type { Clock } from '../platform/clock.ts'
import { FALLBACK_PRICES, pricesFromCatalog } from '../cloud/prices.ts'
import type { CloudPrices } from '../cloud/prices.ts'
import { CatalogGpu } from '../cloud/runpod-rest.ts'
import type { CloudSettings } from '../cloud/settings.ts'
import { formatUsd } from './money.ts'
import { migrateCosts } from './schema.ts'

// Every price the app spends by carries where it came from and when, so an estimate or a ledger row
// can say "A40 pod $0.44/hour (RunPod catalog, 2026-11-28)" instead of a bare number.
export type { PriceSource, PriceUnit }

export interface Price {
  usd: number
  per: PriceUnit
  source: PriceSource
  // ISO date (YYYY-MM-DD) of a live fetch, or the month (YYYY-MM) a built-in figure was checked.
  asOf: string
  label: string
}

export interface PriceSheet {
  pod: Price
  serverless: Price
  flux: Price
  replicate: Price
}

export interface LlmPrices {
  input: Price
  output: Price
}

// The month FACTS.md's figures were checked; the built-in prices are never presented as live.
export const BUILTIN_AS_OF = FALLBACK_PRICES.asOf

// OpenAI list prices per million tokens, dated by when they were published (not verified in 2026).
const BUILTIN_LLM: Readonly<Record<string, { input: number; output: number; asOf: string }>> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6, asOf: '2024-07' },
  'gpt-4o': { input: 2.5, output: 10, asOf: '2024-10' },
  'gpt-4.1': { input: 2, output: 8, asOf: '2025-04' },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, asOf: '2025-04' },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, asOf: '2025-04' },
  'gpt-5': { input: 1.25, output: 10, asOf: '2025-08' },
  'gpt-5-mini': { input: 0.25, output: 2, asOf: '2025-08' },
  'gpt-5-nano': { input: 0.05, output: 0.4, asOf: '2025-08' },
}

const SOURCE_NAMES: Record<PriceSource, string> = {
  catalog: 'RunPod catalog',
  builtin: 'built-in price list',
  provider: 'charged by the provider',
  local: 'your own server',
}

const UNIT_NAMES: Record<PriceUnit, string> = {
  hour: 'hour',
  second: 's',
  image: 'image',
  megapixel: 'MP',
  million_tokens: '1M tokens',
}

export function describePrice(p: Price): string {
  return `${p.label} ${formatUsd(p.usd)}/${UNIT_NAMES[p.per]} (${SOURCE_NAMES[p.source]}, ${p.asOf})`
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

// Names each of the router's prices: a catalog price only when the catalog really holds it.
export function priceSheet(cloud: CloudPrices, settings: CloudSettings, catalog: readonly CatalogGpu[] | null, fetchedAt: number | null): PriceSheet {
  const live = catalog !== null && fetchedAt !== null
  const gpu = (id: string) => (live ? catalog.find((g) => g.id === id) : undefined)
  const pod = gpu(cloud.podGpuTypeId)
  const podLive = pod !== undefined && [pod.securePrice, pod.communityPrice, pod.secureSpotPrice, pod.communitySpotPrice].includes(cloud.podPerHour)
  const flex = gpu(settings.serverless.gpuTypeId)
  const flexLive = flex !== undefined && flex.serverlessFlexPricePerSecond === cloud.serverlessPerSecond
  const dated = (isLive: boolean) => (isLive ? { source: 'catalog' as const, asOf: isoDay(fetchedAt!) } : { source: 'builtin' as const, asOf: BUILTIN_AS_OF })
  const podClass = settings.pods.capacityClass === 'interruptible' ? 'interruptible ' : ''
  return {
    pod: { usd: cloud.podPerHour, per: 'hour', ...dated(podLive), label: `${cloud.podGpuTypeId} ${podClass}pod` },
    serverless: { usd: cloud.serverlessPerSecond, per: 'second', ...dated(flexLive), label: `${settings.serverless.gpuTypeId} serverless` },
    flux: { usd: cloud.fluxPerMegapixel, per: 'megapixel', source: 'builtin', asOf: BUILTIN_AS_OF, label: `RunPod ${settings.hosted.fluxModel}` },
    replicate: { usd: cloud.replicatePerImage, per: 'image', source: 'builtin', asOf: BUILTIN_AS_OF, label: `Replicate ${settings.hosted.replicateModel}` },
  }
}

// Token prices for the story model; a self-hosted OpenAI-compatible server costs nothing, an unknown model has no price.
export function llmPrices(model: string, baseUrl: string | null): LlmPrices | null {
  if (baseUrl !== null && !/(^|\.)openai\.com$/i.test(new URL(baseUrl).hostname)) {
    const local = (label: string): Price => ({ usd: 0, per: 'million_tokens', source: 'local', asOf: 'now', label })
    return { input: local(`${model} input`), output: local(`${model} output`) }
  }
  const known = BUILTIN_LLM[model] ?? BUILTIN_LLM[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')]
  if (!known) return null
  return {
    input: { usd: known.input, per: 'million_tokens', source: 'builtin', asOf: known.asOf, label: `${model} input` },
    output: { usd: known.output, per: 'million_tokens', source: 'builtin', asOf: known.asOf, label: `${model} output` },
  }
}

export interface PriceCatalogOptions {
  db: Database.Database
  clock: Clock
  settings: CloudSettings
  // GET /catalog/gpus through the RunPod REST client; null without a RunPod key.
  fetchGpus: (() => Promise<CatalogGpu[]>) | null
  // A cached list older than this is refreshed (and still used, with its date, if the refresh fails).
  maxAgeMs?: number
}

export interface CurrentPrices {
  cloud: CloudPrices
  sheet: PriceSheet
  // When the live list in use was fetched; null when only built-in prices are known.
  fetchedAt: number | null
}

const CACHE_NAME = 'runpod_catalog_gpus'
const CachedList = z.array(CatalogGpu)

export class PriceCatalog {
  private readonly opts: PriceCatalogOptions
  private readonly maxAgeMs: number
  private readonly read: Database.Statement<[string], { fetched_at: number; body: string }>
  private readonly write: Database.Statement<[string, number, string]>
  private inflight: Promise<CurrentPrices> | null = null

  constructor(opts: PriceCatalogOptions) {
    migrateCosts(opts.db)
    this.opts = opts
    this.maxAgeMs = opts.maxAgeMs ?? 6 * 3_600_000
    this.read = opts.db.prepare('SELECT fetched_at, body FROM cost_price_cache WHERE name = ?')
    this.write = opts.db.prepare(`INSERT INTO cost_price_cache (name, fetched_at, body) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET fetched_at = excluded.fetched_at, body = excluded.body`)
  }

  // What the app prices with right now: the cached live list whatever its age (it carries its date), else built-in.
  current(): CurrentPrices {
    const cached = this.cached()
    const settings = this.opts.settings
    if (!cached) return { cloud: FALLBACK_PRICES, sheet: priceSheet(FALLBACK_PRICES, settings, null, null), fetchedAt: null }
    const cloud = pricesFromCatalog(cached.gpus, settings, isoDay(cached.fetchedAt))
    return { cloud, sheet: priceSheet(cloud, settings, cached.gpus, cached.fetchedAt), fetchedAt: cached.fetchedAt }
  }

  // The GPU list to route and bid by, with the day it was read: the cache, refreshed when stale; empty when never read.
  async gpus(): Promise<{ gpus: CatalogGpu[]; asOf: string } | null> {
    await this.refresh()
    const cached = this.cached()
    return cached ? { gpus: cached.gpus, asOf: isoDay(cached.fetchedAt) } : null
  }

  isStale(): boolean {
    const cached = this.cached()
    return cached === null || this.opts.clock.now() - cached.fetchedAt >= this.maxAgeMs
  }

  // Fetches the live list when the cache is stale (or when forced); a failed fetch keeps what was known.
  refresh(opts: { force?: boolean } = {}): Promise<CurrentPrices> {
    if (!opts.force && !this.isStale()) return Promise.resolve(this.current())
    if (!this.opts.fetchGpus) return Promise.resolve(this.current())
    this.inflight ??= this.fetch(this.opts.fetchGpus).finally(() => { this.inflight = null })
    return this.inflight
  }

  private async fetch(fetchGpus: () => Promise<CatalogGpu[]>): Promise<CurrentPrices> {
    try {
      const gpus = CachedList.parse(await fetchGpus())
      if (gpus.length > 0) this.write.run(CACHE_NAME, this.opts.clock.now(), JSON.stringify(gpus))
    } catch {
      // Offline or RunPod down: the dated cache or the built-in list stands, and says so.
    }
    return this.current()
  }

  private cached(): { gpus: CatalogGpu[]; fetchedAt: number } | null {
    const row = this.read.get(CACHE_NAME)
    if (!row) return null
    const parsed = CachedList.safeParse(JSON.parse(row.body))
    return parsed.success ? { gpus: parsed.data, fetchedAt: row.fetched_at } : null
  }
}
