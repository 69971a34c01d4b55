import type { CommandArgs, CommandOutput, EngineId, StudioEvent } from '../contract/index.ts'
import type { FailedAttemptBill } from '../contract/errors.ts'
import type { DispatchResult } from '../cloud/dispatcher.ts'
import type { PodBill } from '../cloud/pod-manager.ts'
import type { CloudPrices } from '../cloud/prices.ts'
import { BudgetGuard, type BudgetCaps } from '../costs/budget.ts'
import { estimateComic } from '../costs/estimate.ts'
import { CostLedger } from '../costs/ledger.ts'
import type { Price } from '../costs/price-catalog.ts'
import { llmPrices, PriceCatalog } from '../costs/price-catalog.ts'
import type { CatalogGpu } from '../cloud/runpod-rest.ts'
import type { CloudSettings } from '../cloud/settings.ts'
import { hostedOptions, keepAliveSeconds, podEconomics } from '../cloud/router.ts'
import type { Library } from '../library/library.ts'
import type { Clock } from '../platform/clock.ts'
import type { StoryUsage } from '../story/openai-writer.ts'

export interface StudioCostsOptions {
  library: Library
  clock: Clock
  emit(event: StudioEvent): void
  caps(): BudgetCaps
  prices(): CloudPrices
  cloudSettings(): CloudSettings
  // GET /catalog/gpus with the user's RunPod key; null without one.
  fetchGpus(): (() => Promise<CatalogGpu[]>) | null
  configured(): { pod: boolean; serverless: boolean; runpodFlux: boolean; replicate: boolean }
}

const POD_PROVIDER = /^runpod-pod:(.+)$/

// The ledger, budgets and estimates as the studio uses them: every charge recorded once, from the
// engines' own figures, in the same transaction that completes the job.
export class StudioCosts {
  readonly ledger: CostLedger
  readonly budget: BudgetGuard
  private readonly o: StudioCostsOptions
  private priceCatalog: { key: string; catalog: PriceCatalog } | null = null

  constructor(o: StudioCostsOptions) {
    this.o = o
    this.ledger = new CostLedger({ db: o.library.db, clock: o.clock, emit: o.emit })
    this.budget = new BudgetGuard({ ledger: this.ledger, caps: o.caps })
  }

  private price(usd: number, per: Price['per'], label: string): Price {
    const p = this.o.prices()
    return { usd, per, source: p.source === 'catalog' ? 'catalog' : 'builtin', asOf: p.asOf, label }
  }

  // Live GPU prices, cached in the library with the date they were read; built-in dated prices until then.
  // One catalog per cloud settings, so the studio's start and the cloud burst's share one fetch.
  private catalog(): PriceCatalog {
    const settings = this.o.cloudSettings()
    const key = JSON.stringify(settings)
    if (this.priceCatalog?.key !== key) {
      const fetchGpus = () => this.o.fetchGpus()?.() ?? Promise.reject(new Error('no RunPod key'))
      this.priceCatalog = { key, catalog: new PriceCatalog({ db: this.o.library.db, clock: this.o.clock, settings, fetchGpus }) }
    }
    return this.priceCatalog.catalog
  }

  gpus(): ReturnType<PriceCatalog['gpus']> {
    return this.catalog().gpus()
  }

  // On start: refresh a stale price list; a failure keeps the cached or built-in prices, with their dates.
  async refreshPrices(): Promise<void> {
    if (!this.o.fetchGpus()) return
    try {
      await this.catalog().refresh()
    } catch {
      this.o.emit({ type: 'error', comicId: null, code: 'bad_response', message: 'Could not read RunPod\'s live prices; estimates use the last known prices.' })
    }
  }

  // Cloud work stops at a cap; the offline artist is never stopped. Until its charge is recorded, an image
  // holds the dearest per-image price it could be drawn at.
  admit(key: string, comicId: string, megapixels: number): void {
    const settings = this.o.cloudSettings()
    const configured = this.o.configured()
    const prices = this.o.prices()
    const hosted = hostedOptions({ providers: { ...configured, local: false }, prices, estimates: settings.estimates, megapixels })
    const pod = configured.pod ? podEconomics({ prices, estimates: settings.estimates, idleSeconds: 0 }).perImage : 0
    this.budget.admit(key, comicId, 'serverless', Math.max(pod, ...hosted.map((h) => h.perImage)))
  }

  release(key: string): void {
    this.budget.release(key)
  }

  // Runs inside the job's completion transaction: a job completed twice is charged once.
  recordImage(input: { key: string; comicId: string; panelId: string; result: DispatchResult; seconds: number }): void {
    const { key, comicId, panelId, result } = input
    const pod = POD_PROVIDER.exec(result.provider)
    if (pod) {
      this.ledger.podServed({ key, podId: pod[1], comicId, panelId, seconds: input.seconds })
      return
    }
    if (result.engine === 'offline' || result.costUsd <= 0) return
    this.ledger.charge({
      key, provider: result.provider, kind: 'image', comicId, panelId, quantity: 1, unit: 'image',
      price: this.price(result.costUsd, 'image', result.provider), amountUsd: result.costUsd,
    })
  }

  // A failed attempt the provider billed anyway (a serverless job that ran, then failed): the retry is charged again.
  recordFailedAttempt(key: string, comicId: string, panelId: string, bill: FailedAttemptBill): void {
    this.ledger.charge({
      key, provider: bill.provider, kind: 'failed_attempt', comicId, panelId, quantity: bill.seconds, unit: 'second',
      price: this.price(bill.usd / bill.seconds, 'second', bill.provider), amountUsd: bill.usd,
    })
  }

  recordCacheHit(key: string, comicId: string, panelId: string): void {
    this.ledger.cacheHit({ key, comicId, panelId })
  }

  recordLlm(key: string, comicId: string, baseUrl: string | null, usage: StoryUsage): void {
    this.ledger.llmCall({
      key, comicId, provider: 'openai', model: usage.model, promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens, prices: llmPrices(usage.model, baseUrl),
    })
  }

  onEvent(event: StudioEvent): void {
    if (event.type === 'pod_booting') {
      const prices = this.o.prices()
      this.ledger.podOpened({ podId: event.podId, provider: `runpod-pod:${prices.podGpuTypeId}`, price: this.price(prices.podPerHour, 'hour', prices.podGpuTypeId) })
    }
  }

  onBilled(bill: PodBill): void {
    this.ledger.podClosed({ podId: bill.podId, seconds: bill.seconds })
  }

  summary(): CommandOutput<'costs.summary'> {
    const s = this.ledger.summary()
    const caps = this.o.caps()
    // Providers are named '<service>:<detail>' by the engines (src/art); the prefix says which route it was.
    const ROUTES: [string, EngineId][] = [['runpod-pod', 'pod'], ['runpod-serverless', 'serverless'], ['runpod', 'runpod-flux'], ['replicate', 'replicate'], ['local-comfyui', 'comfy-local'], ['openai', 'offline']]
    const engineOf = (provider: string): EngineId => ROUTES.find(([prefix]) => provider.split(':')[0] === prefix)?.[1] ?? 'offline'
    const byEngine = new Map<EngineId, { usd: number; images: number }>()
    for (const p of s.byProvider) {
      const e = engineOf(p.provider)
      const had = byEngine.get(e) ?? { usd: 0, images: 0 }
      byEngine.set(e, { usd: had.usd + p.usd, images: had.images + p.images })
    }
    return {
      totalUsd: s.totalUsd,
      todayUsd: s.todayUsd,
      monthUsd: s.monthUsd,
      byComic: s.byComic.map((c) => ({ comicId: c.comicId, title: this.o.library.comics.get(c.comicId)?.title ?? '—', usd: c.usd, images: c.images })),
      byProvider: [...byEngine].map(([engine, v]) => ({ engine, ...v })),
      byDay: s.byDay.map((d) => ({ day: d.period, usd: d.usd })),
      byMonth: s.byMonth.map((m) => ({ month: m.period, usd: m.usd })),
      budgets: { dayUsd: caps.dayUsd, monthUsd: caps.monthUsd, comicUsd: caps.comicUsd },
    }
  }

  estimate(input: CommandArgs<'comics.estimate'>): CommandOutput<'comics.estimate'> {
    // Scripts give 3–6 panels a page; five is the figure to plan with before the script exists.
    const images = input.images ?? input.pages * 5
    const megapixels = (768 * 768) / 1e6
    const cloud = this.o.cloudSettings()
    const hostedAtOnce = cloud.hosted.imagesInFlight
    const result = estimateComic({
      images,
      megapixelsPerImage: megapixels,
      urgent: input.urgent,
      prices: this.catalog().current().sheet,
      timing: {
        podBootSeconds: cloud.estimates.podBootSeconds,
        podSecondsPerImage: cloud.estimates.podSecondsPerImage,
        // As the router keeps it: the idle setting for urgent work, seconds otherwise.
        podIdleSeconds: keepAliveSeconds({ urgent: input.urgent, idleSeconds: cloud.pods.idleMinutes * 60 }),
        maxPods: cloud.pods.maxPods,
        // No more at once than the provider runs, nor than the studio hands the per-image engines.
        serverlessSecondsPerImage: cloud.estimates.serverlessSecondsPerImage, serverlessColdStartSeconds: 30, serverlessIdleSeconds: 5, serverlessWorkers: Math.min(5, hostedAtOnce),
        fluxSecondsPerImage: 8, fluxConcurrency: Math.min(4, hostedAtOnce), replicateSecondsPerImage: 6, replicateConcurrency: Math.min(10, hostedAtOnce), offlineSecondsPerImage: 0.02,
      },
      configured: this.o.configured(),
    })
    return {
      images: result.images,
      deadlineSeconds: result.deadlineSeconds,
      budgetLeftUsd: this.budget.leftUsd(null),
      routes: result.routes.map((r) => ({
        engine: r.engine, usd: r.usd, seconds: r.seconds, meetsDeadline: r.meetsDeadline, recommended: r.recommended, basis: r.basis,
        prices: r.prices.map((p) => ({ label: p.label, usd: p.usd, per: p.per, source: p.source, asOf: p.asOf })),
      })),
    }
  }
}
