import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { KitsumyError, type Comic, type CommandArgs, type ExportFormat, type Language, type Trim } from '../contract/index.ts'
import { join } from 'node:path'
import { Library } from '../library/library.ts'
import { systemClock, type Clock } from '../platform/clock.ts'
import type { Paths } from '../platform/paths.ts'
import type { Secrets } from '../platform/secrets.ts'
import type { Random } from '../platform/random.ts'
import { STYLES } from '../styles/styles.ts'
import type { Handlers } from '../api/dispatch.ts'
import { EventBus } from './event-bus.ts'
import { Editing } from './editing.ts'
import { Generation, type EngineSet } from './generation.ts'
import { SettingsService } from './settings.ts'
import { LAYOUTS } from '../pages/layouts.ts'
import { fontUrl } from '../pages/font-links.ts'
import { renderPageSvg } from '../pages/render-svg.ts'
import { exportComic } from '../export/export.ts'
import { uploadImage } from './upload.ts'
import { CloudEngines } from './cloud-engines.ts'
import { StudioCosts } from './costs.ts'
import { FALLBACK_PRICES } from '../cloud/prices.ts'
import { CloudSettings } from '../cloud/settings.ts'
import { OfflineArtist } from '../art/offline-artist.ts'

export interface StudioOptions {
  paths: Paths
  secrets: Secrets
  version: string
  language?: Language
  clock?: Clock
  random?: Random
  engines?: Partial<EngineSet>
  // Jobs run at once; image jobs mostly wait on the network, so more than the cores.
  concurrency?: number
  // The desktop app and serve mode greet a new library with a comic made offline.
  sampleOnFirstLaunch?: boolean
}

// The only door into the engine: shells call its handlers and listen to its events.
export class Studio {
  readonly events = new EventBus()
  readonly library: Library
  readonly generation: Generation
  readonly editing: Editing
  readonly settings: SettingsService
  readonly costs: StudioCosts
  private readonly cloud: CloudEngines | null
  private readonly opts: StudioOptions
  private readonly clock: Clock

  constructor(opts: StudioOptions) {
    this.opts = opts
    this.clock = opts.clock ?? systemClock
    // Pods the ledger opened before this moment were rented by an earlier session.
    const openedAt = this.clock.now()
    mkdirSync(opts.paths.dataDir, { recursive: true })
    this.library = new Library(opts.paths, this.clock)
    this.settings = new SettingsService(this.library, opts.secrets, opts.paths.dataDir, opts.language ?? 'en')
    this.editing = new Editing(this.library, this.clock, this.events)
    const cloud = this.cloud = opts.engines?.image ? null : new CloudEngines({
      library: this.library,
      secrets: opts.secrets,
      settings: this.settings,
      clock: this.clock,
      offline: new OfflineArtist(),
      emit: (e) => this.events.emit(e),
      onBilled: (bill) => this.costs.onBilled(bill),
      onReaped: (podId) => this.costs.ledger.podReaped(podId),
      onListed: (alive) => this.costs.ledger.podsVanished(alive, openedAt),
      budgetLeftUsd: () => this.costs.budget.leftUsd(null),
      budgeted: () => Object.values(this.settings.prefs().budgets).some((cap) => cap !== null),
      gpuCatalog: () => this.costs.gpus(),
    })
    this.costs = new StudioCosts({
      library: this.library,
      clock: this.clock,
      emit: (e) => this.events.emit(e),
      caps: () => this.settings.prefs().budgets,
      prices: () => cloud?.prices() ?? FALLBACK_PRICES,
      cloudSettings: () => cloud?.cloudSettings() ?? CloudSettings.parse({}),
      configured: () => cloud?.routes() ?? { pod: false, serverless: false, runpodFlux: false, replicate: false },
      fetchGpus: () => cloud?.fetchGpus() ?? null,
    })
    this.events.on((e) => this.costs.onEvent(e))
    this.generation = new Generation({
      library: this.library,
      events: this.events,
      clock: this.clock,
      random: opts.random ?? Math.random,
      secrets: opts.secrets,
      engines: opts.engines ?? {},
      concurrency: opts.concurrency ?? 4,
      prefs: () => this.settings.prefs(),
      cloud,
      costs: this.costs,
    })
    cloud?.rememberDemand((since) => this.generation.queue.askedSince('panel', since))
  }

  get language(): Language {
    return this.settings.prefs().language
  }

  start(): void {
    this.sweepUnfinishedExports()
    this.generation.start()
    void this.costs.refreshPrices()
    if (this.opts.sampleOnFirstLaunch) this.makeSample()
  }

  // An export killed half-way leaves its `.part` file (exports are renamed into place when whole).
  private sweepUnfinishedExports(): void {
    const dir = join(this.opts.paths.dataDir, 'exports')
    if (!existsSync(dir)) return
    for (const name of readdirSync(dir)) if (name.endsWith('.part')) rmSync(join(dir, name), { recursive: true, force: true })
  }

  // Once per library: a comic made offline (words and pictures, free even when keys come from the environment),
  // so the first screen shows what the studio does.
  private makeSample(): void {
    if (this.library.settings.get('sampleCreated')) return
    this.library.settings.put('sampleCreated', true)
    if (this.library.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 1 }).total > 0) return
    const idea = this.language === 'uk' ? 'Лисиця-детектив шукає зниклий трамвай у дощовому Києві' : 'A fox detective hunts for a missing tram in rainy Kyiv'
    this.create({ idea, styleId: 'modern-superhero', pages: 2, readingOrder: 'ltr', urgent: false, seed: 2026, storyEngine: 'offline' }, { offline: true })
  }

  async close(): Promise<void> {
    await this.generation.stop()
    await this.library.close()
  }

  handlers(transport: 'ipc' | 'http'): Handlers {
    return {
      'app.info': () => ({ version: this.opts.version, dataDir: this.opts.paths.dataDir, language: this.language, transport }),
      'styles.list': () => [...STYLES],
      'comics.list': (q) => this.library.comics.list(q),
      'comics.get': ({ comicId }) => this.comic(comicId),
      'comics.create': (input) => this.create(input),
      'comics.cancel': ({ comicId }) => {
        this.comic(comicId)
        return { cancelled: this.generation.cancelComic(comicId) }
      },
      'comics.retryFailed': ({ comicId, offline }) => ({ panels: this.generation.retryFailed(comicId, offline) }),
      'comics.trash': ({ comicId }) => {
        this.comic(comicId)
        this.library.comics.setTrashed(comicId, this.clock.now(), this.clock.now())
        return { comicId }
      },
      'comics.restore': ({ comicId }) => {
        this.comic(comicId)
        this.library.comics.setTrashed(comicId, null, this.clock.now())
        return { comicId }
      },
      'jobs.status': ({ jobId }) => {
        const job = this.generation.queue.status(jobId)
        if (!job) throw new KitsumyError('not_found', 'There is no such job.')
        return job
      },
      'comics.duplicate': (a) => this.editing.duplicate(a),
      'comics.update': (a) => this.editing.updateComic(a),
      'comics.reorderPages': (a) => this.editing.reorderPages(a),
      'panels.update': (a) => this.editing.updatePanel(a),
      'panels.regenerate': ({ comicId, panelId, seed }) => ({ jobId: this.generation.regeneratePanel(comicId, panelId, seed, true) }),
      'panels.versions': (a) => this.editing.versions(a),
      'panels.pickVersion': (a) => this.editing.pickVersion(a),
      'pages.update': (a) => this.editing.updatePage(a),
      // New panels are drawn at once, like a redraw the person asked for.
      'panels.add': (a) => {
        const { panel, draw } = this.editing.addPanel(a)
        return { panel, jobId: draw ? this.generation.regeneratePanel(a.comicId, panel.id, undefined, true) : null }
      },
      'panels.delete': (a) => this.editing.deletePanel(a),
      'pages.add': (a) => {
        const { page, draw } = this.editing.addPage(a)
        return { page, jobIds: draw.map((panelId) => this.generation.regeneratePanel(a.comicId, panelId, undefined, true)) }
      },
      'pages.delete': (a) => this.editing.deletePage(a),
      'pages.svg': ({ comicId, pageIndex }) => {
        const comic = this.comic(comicId)
        if (pageIndex >= comic.pages.length) throw new KitsumyError('not_found', 'The comic has no such page.')
        return { svg: renderPageSvg(comic, pageIndex, { imageHref: (id) => `/files/${id}`, fontUrl }) }
      },
      'layouts.list': () => LAYOUTS.map((l) => ({ id: l.id, name: l.name, panelCount: l.panelCount, cells: l.cells })),
      'characters.update': (a) => this.editing.updateCharacter(a),
      'characters.add': (a) => this.editing.addCharacter(a),
      'characters.delete': (a) => this.editing.deleteCharacter(a),
      'images.upload': ({ mime, base64 }) => ({ image: uploadImage(this.library.images, mime, base64) }),
      'comics.export': ({ comicId, format, trim, dpi }) => this.export(comicId, format, trim, dpi),
      'comics.estimate': (a) => this.costs.estimate(a),
      'costs.summary': () => this.costs.summary(),
      'costs.comic': ({ comicId }) => {
        this.comic(comicId)
        const { usd, images } = this.costs.ledger.comicTotal(comicId)
        return { usd, images }
      },
      'pods.list': () => this.cloud?.pods() ?? [],
      'pods.stop': async () => {
        const { stopped, pausedSeconds } = (await this.cloud?.stopPods()) ?? { stopped: 0, pausedSeconds: 0 }
        return { stopped, pausedMinutes: pausedSeconds / 60 }
      },
      'settings.get': () => this.settings.view(),
      'settings.update': ({ patch }) => this.settings.update(patch),
      'secrets.set': ({ name, value, allowPlaintext }) => this.settings.setKey(name, value, allowPlaintext),
      'secrets.clear': ({ name }) => this.settings.clearKey(name),
    }
  }

  async export(comicId: string, format: ExportFormat, trim: Trim, dpi: number | undefined, out?: string) {
    const comic = this.comic(comicId)
    const safeTitle = comic.title.replace(/[^\p{L}\p{N} _-]+/gu, '').trim().slice(0, 60) || 'comic'
    const target = out ?? join(this.opts.paths.dataDir, 'exports', format === 'png' ? safeTitle : `${safeTitle}.${format}`)
    return exportComic(comic, {
      format, trim, dpi, out: target,
      loadImage: async (id) => this.library.images.read(id),
      onProgress: (done, total) => this.events.emit({ type: 'export_progress', comicId, done, total }),
    })
  }

  comic(comicId: string): Comic {
    const comic = this.library.comics.get(comicId)
    if (!comic) throw new KitsumyError('not_found', 'There is no such comic in the library.')
    return comic
  }

  // `offline`: story and pictures both made on this computer, whatever keys are set (the sample comic costs nothing).
  create(input: CommandArgs<'comics.create'>, opts: { offline?: boolean } = {}): { comicId: string; jobId: string } {
    const now = this.clock.now()
    const random = this.opts.random ?? Math.random
    const comic: Comic = {
      id: randomUUID(),
      title: input.idea.slice(0, 80),
      idea: input.idea,
      summary: '',
      styleId: input.styleId,
      language: input.language ?? this.language,
      readingOrder: input.readingOrder,
      status: 'writing',
      seed: input.seed ?? Math.floor(random() * 2 ** 31),
      cover: null,
      pageCount: input.pages,
      panelCount: 0,
      createdAt: now,
      updatedAt: now,
      trashedAt: null,
      characters: [],
      pages: [],
    }
    this.library.comics.insert(comic)
    const jobId = this.generation.enqueueComic(comic.id, { pages: input.pages, urgent: input.urgent, story: opts.offline ? 'offline' : input.storyEngine, offline: opts.offline })
    this.events.emit({ type: 'comic_updated', comicId: comic.id, status: 'writing' })
    return { comicId: comic.id, jobId }
  }
}
