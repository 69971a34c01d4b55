import { randomUUID } from 'node:crypto'
import { KitsumyError, parseStoredError, storedError, type Comic, type ErrorCode, type ImageRequest, type PanelStatus } from '../contract/index.ts'
import type { Library } from '../library/library.ts'
import type { Clock } from '../platform/clock.ts'
import type { Random } from '../platform/random.ts'
import type { Secrets } from '../platform/secrets.ts'
import { JobQueue, Worker, migrateQueue, type ClaimedJob, type Handler, type HandlerContext, type QueueEvent } from '../queue/index.ts'
import type { ImageEngine } from '../art/engine.ts'
import { OfflineArtist } from '../art/offline-artist.ts'
import { buildImageRequest, cacheKey } from '../art/request.ts'
import { panelSize, resolveLayout } from '../pages/layouts.ts'
import type { StoryWriter } from '../story/writer.ts'
import { OfflineWriter } from '../story/offline-writer.ts'
import { OpenAIStoryWriter } from '../story/openai-writer.ts'
import type { EventBus } from './event-bus.ts'
import type { CloudEngines, DrawOptions } from './cloud-engines.ts'
import type { StudioCosts } from './costs.ts'
import type { DispatchResult } from '../cloud/dispatcher.ts'
import { assembleComic } from './assemble.ts'
import { findPanel } from './editing.ts'

export interface EngineSet {
  story: StoryWriter
  // Replaces the whole image routing (tests, benchmarks); by default the offline artist or the cloud burst.
  image: ImageEngine
}

export type StoryChoice = 'auto' | 'offline' | 'openai'

export interface GenerationOptions {
  library: Library
  events: EventBus
  clock: Clock
  random: Random
  secrets: Secrets
  engines: Partial<EngineSet>
  concurrency: number
  prefs(): { openaiBaseUrl: string | null; openaiModel: string }
  cloud: CloudEngines | null
  costs: StudioCosts
}

// `offline`: drawn by the offline artist whatever the cloud settings, so it costs nothing (the sample comic, or
// a comic the person chose to finish for free).
interface ComicPayload { comicId: string; pages: number; story: StoryChoice; offline?: boolean }
interface PanelPayload { comicId: string; panelId: string; offline?: boolean }

// What a comic is once none of its panels is drawing: done, partly drawn, or failed (nothing drawn); and how many are missing.
function endStatus(counts: Record<PanelStatus, number>): { status: 'done' | 'partial' | 'failed'; missing: number } {
  const missing = counts.failed + counts.pending + counts.generating
  return { status: missing === 0 ? 'done' : counts.done === 0 ? 'failed' : 'partial', missing }
}

const URGENT = 10
const IMAGE_GROUP = 'images'
const BASE_PANEL_PX = 768

// Story → queue → art → library → events: the pipeline behind comics.create.
export class Generation {
  readonly queue: JobQueue
  private readonly worker: Worker
  private readonly o: GenerationOptions
  private readonly offlineStory: StoryWriter
  private readonly draw: (request: ImageRequest, options: DrawOptions) => Promise<DispatchResult>
  private readonly drawOffline: (request: ImageRequest, options: DrawOptions) => Promise<DispatchResult>
  // Paid pictures that could not be saved (a full disk), by cache key: the panel's retry saves them instead of paying
  // again. Their charge is in the ledger from the moment they arrived, as the provider billed them then.
  private readonly unsaved = new Map<string, DispatchResult>()
  // Images of each comic handed to an engine (or its line) and not back yet.
  private readonly sent = new Map<string, number>()

  constructor(o: GenerationOptions) {
    this.o = o
    this.offlineStory = o.engines.story ?? new OfflineWriter()
    const only = o.engines.image
    const offline = only ?? new OfflineArtist()
    this.drawOffline = async (request, { signal, onStart }) => {
      onStart?.()
      return { ...(await offline.generate(request, { signal })), engine: offline.id }
    }
    this.draw = only || !o.cloud ? this.drawOffline : (request, options) => o.cloud!.draw(request, options)
    migrateQueue(o.library.db)
    this.queue = new JobQueue(o.library.db, { clock: o.clock, random: o.random })
    const handlers: Record<string, Handler> = {
      comic: (job, ctx) => this.writeComic(job.payload as ComicPayload, job, ctx.signal),
      panel: (job, ctx) => this.drawPanel(job.payload as PanelPayload, job, ctx),
    }
    // With the cloud on, as many images as its pods and per-image engines take at once, so work spills while
    // every pod slot is busy, and those waiting in line for a pod besides; offline, what this machine's cores can draw.
    const cloud = o.cloud
    const concurrency = cloud ? () => Math.max(o.concurrency, cloud.inFlight()) : o.concurrency
    this.worker = new Worker(this.queue, handlers, { concurrency, clock: o.clock })
    cloud?.onMoreInFlight(() => this.worker.wake())
    this.queue.on((event) => this.onQueueEvent(event))
  }

  start(): void {
    this.worker.start()
    this.o.cloud?.start()
  }

  async stop(): Promise<void> {
    await this.worker.drain(10_000)
    await this.o.cloud?.shutdown()
  }

  enqueueComic(comicId: string, opts: { pages: number; urgent: boolean; story: StoryChoice; offline?: boolean }): string {
    const payload: ComicPayload = { comicId, pages: opts.pages, story: opts.story, ...(opts.offline ? { offline: true } : {}) }
    // A script goes ahead of other comics' panels, so each new comic shows its first picture soon.
    return this.queue.enqueue({ kind: 'comic', payload, comicId, priority: (opts.urgent ? URGENT : 0) + 2 })
  }

  // The LLM writes when asked to, or by default when the user gave an OpenAI key; otherwise the offline writer.
  private writerFor(choice: StoryChoice, comicId: string): StoryWriter {
    const key = this.o.secrets.get('openai')
    if (choice === 'offline' || (choice === 'auto' && !key)) return this.offlineStory
    if (!key) throw new KitsumyError('auth', 'Add an OpenAI key in Settings (or OPENAI_API_KEY) to write stories with the LLM.', { retryable: false })
    const prefs = this.o.prefs()
    return new OpenAIStoryWriter({
      apiKey: key,
      model: prefs.openaiModel,
      baseURL: prefs.openaiBaseUrl,
      clock: this.o.clock,
      cache: this.o.library.cache.forKind('story'),
      onUsage: (usage) => this.o.costs.recordLlm(`llm:${randomUUID()}`, comicId, prefs.openaiBaseUrl, usage),
    })
  }

  cancelComic(comicId: string): number {
    const cancelled = this.queue.cancelComic(comicId)
    const comic = this.o.library.comics.get(comicId)
    if (comic && (comic.status === 'writing' || comic.status === 'generating')) {
      this.o.library.comics.setStatus(comicId, 'cancelled', this.o.clock.now())
      this.o.events.emit({ type: 'comic_updated', comicId, status: 'cancelled' })
    }
    return cancelled
  }

  private comic(comicId: string): Comic {
    const comic = this.o.library.comics.get(comicId)
    if (!comic) throw new KitsumyError('not_found', 'The comic was deleted.', { retryable: false })
    return comic
  }

  private async writeComic(payload: ComicPayload, job: ClaimedJob, signal: AbortSignal): Promise<unknown> {
    const draft = this.comic(payload.comicId)
    const script = await this.writerFor(payload.story, draft.id).write(
      { idea: draft.idea, styleId: draft.styleId, pages: payload.pages, language: draft.language, seed: draft.seed },
      { signal, onStep: (step, status) => this.o.events.emit({ type: 'story_step', comicId: draft.id, step, status }) },
    )
    const comic = { ...assembleComic(draft, script), status: 'generating' as const, updatedAt: this.o.clock.now() }
    this.o.library.comics.replace(comic)
    this.o.events.emit({ type: 'comic_updated', comicId: comic.id, status: 'generating' })
    const base = job.priority - 2
    const children = comic.pages.flatMap((page) => page.panels.map((panel) => ({
      kind: 'panel',
      payload: { comicId: comic.id, panelId: panel.id, ...(payload.offline ? { offline: true } : {}) } satisfies PanelPayload,
      key: `${cacheKey(this.requestFor(comic, panel.id))}:${panel.id}`,
      parentId: job.id,
      comicId: comic.id,
      // The first panel one step ahead of the rest: the reader sees the comic begin.
      priority: panel.id === comic.pages[0].panels[0].id ? base + 1 : base,
      group: IMAGE_GROUP,
    })))
    this.queue.enqueueMany(children)
    return { panels: children.length }
  }

  requestFor(comic: Comic, panelId: string): ImageRequest {
    const { page, panel, index } = findPanel(comic, panelId)
    const size = panelSize(resolveLayout(page).id, index, BASE_PANEL_PX)
    // Characters go to the engine under their place in the cast, not their row id, so the same comic
    // made twice draws (and caches) the same pictures.
    const stable = new Map(comic.characters.map((c, i) => [c.id, `c${i}`]))
    return buildImageRequest({
      comic: { styleId: comic.styleId, readingOrder: comic.readingOrder, characters: comic.characters.map((c) => ({ ...c, id: stable.get(c.id)! })) },
      panel: { ...panel, characterIds: panel.characterIds.map((id) => stable.get(id) ?? id) },
      width: size.width,
      height: size.height,
    })
  }


  // A single panel again, outside any comic job: same seed redraws the current prompt, a new seed a new picture.
  regeneratePanel(comicId: string, panelId: string, seed: number | undefined, urgent: boolean): string {
    const comic = this.comic(comicId)
    if (seed !== undefined) {
      findPanel(comic, panelId).panel.seed = seed
      this.o.library.comics.replace({ ...comic, updatedAt: this.o.clock.now() })
    }
    return this.redraw(comic, { comicId, panelId }, urgent)
  }

  // Every panel of a comic left undrawn (it failed, or the comic was cancelled before it), drawn now: with the
  // current settings, or offline for free. The comic counts as drawing until they are done, then done or partial again.
  retryFailed(comicId: string, offline: boolean): number {
    const comic = this.comic(comicId)
    // Its script, its panels or a single redrawn panel still in the queue would be drawn twice.
    if (this.queue.liveForComic(comicId) > 0) {
      throw new KitsumyError('conflict', 'This comic is still being drawn; wait until it is done.', { retryable: false })
    }
    const missing = comic.pages.flatMap((p) => p.panels).filter((p) => p.status === 'failed' || p.status === 'pending')
    if (missing.length === 0) return 0
    this.o.library.comics.setStatus(comicId, 'generating', this.o.clock.now())
    this.o.events.emit({ type: 'comic_updated', comicId, status: 'generating' })
    for (const panel of missing) this.redraw(comic, { comicId, panelId: panel.id, ...(offline ? { offline } : {}) }, false)
    return missing.length
  }

  private redraw(comic: Comic, payload: PanelPayload, urgent: boolean): string {
    const request = this.requestFor(comic, payload.panelId)
    this.o.library.comics.setPanelStatus(payload.panelId, 'pending', null)
    this.o.events.emit({ type: 'panel_updated', comicId: comic.id, panelId: payload.panelId, status: 'pending', image: null })
    return this.queue.enqueue({
      kind: 'panel',
      payload,
      // Its own key: the panel's first job completed under the plain one, and a completed key is never run again.
      key: `${cacheKey(request)}:${payload.panelId}:${this.o.clock.now()}`,
      comicId: comic.id,
      priority: (urgent ? URGENT : 0) + 1,
      group: IMAGE_GROUP,
    })
  }

  private async drawPanel(payload: PanelPayload, job: ClaimedJob, ctx: HandlerContext): Promise<unknown> {
    const { library, events, costs, clock } = this.o
    const { signal } = ctx
    const chargeKey = `${job.key ?? job.id}`
    const comic = this.comic(payload.comicId)
    const request = this.requestFor(comic, payload.panelId)
    // A sketch drawn offline must not stand in for a cloud picture once the user has a provider.
    const key = cacheKey(request)
    const cache = library.cache.forKind('image')
    const cloud = !payload.offline && this.o.cloud?.active() === true
    const cached = cache.get(`${cloud ? 'cloud' : 'offline'}:${key}`)
    if (cached && library.images.has(cached)) {
      ctx.onComplete(() => costs.recordCacheHit(chargeKey, comic.id, payload.panelId))
      library.comics.setPanelImage(comic.id, payload.panelId, cached, request.seed, this.o.clock.now())
      events.emit({ type: 'panel_updated', comicId: comic.id, panelId: payload.panelId, status: 'done', image: cached })
      return { image: cached, cached: true, costUsd: 0 }
    }
    const kept = this.unsaved.get(key)
    let result
    // The panel shows as drawing once an engine has it (an image in line for a pod is still waiting), and its
    // seconds, by which a pod's bill is shared among comics, count from then.
    let started: number | null = null
    const onStart = () => {
      if (started !== null) return
      started = clock.now()
      library.comics.setPanelStatus(payload.panelId, 'generating', null)
      events.emit({ type: 'panel_updated', comicId: comic.id, panelId: payload.panelId, status: 'generating', image: null })
    }
    const sent = this.sent.get(comic.id) ?? 0
    this.sent.set(comic.id, sent + 1)
    try {
      if (cloud && !kept) costs.admit(chargeKey, comic.id, (request.width * request.height) / 1_000_000)
      const counts = library.comics.panelCounts(comic.id)
      result = kept ?? await (payload.offline ? this.drawOffline : this.draw)(request, {
        signal,
        comicId: comic.id,
        urgent: job.priority >= URGENT,
        remaining: this.queue.queuedCount('panel') + 1,
        // Nothing of this comic is drawn, drawing or waiting for an engine: nothing is on screen yet.
        firstOfComic: counts.done === 0 && sent === 0,
        // Panels not drawn yet, less those already with an engine or in a pod's line (this one is not).
        comicWaiting: Math.max(1, counts.pending + counts.generating - sent),
        askedAt: this.queue.askedAt(job),
        resumable: job.attempts > 1,
        onStart,
        onWaiting: () => events.emit({ type: 'panel_waiting', comicId: comic.id, panelId: payload.panelId, engine: 'pod' }),
      })
    } catch (err) {
      costs.release(chargeKey)
      if (err instanceof KitsumyError && err.billed) costs.recordFailedAttempt(`${chargeKey}:failed:${job.attempts}`, comic.id, payload.panelId, err.billed)
      this.panelFailed(comic.id, payload.panelId, err instanceof KitsumyError ? err.code : 'internal', err instanceof KitsumyError ? err.message : 'The image engine failed.')
      throw err
    } finally {
      const left = (this.sent.get(comic.id) ?? 1) - 1
      if (left > 0) this.sent.set(comic.id, left)
      else this.sent.delete(comic.id)
    }
    const drawn = result
    const seconds = (clock.now() - (started ?? clock.now())) / 1000
    // Once the charge is in the ledger, the image's budget hold has done its work.
    const record = () => {
      costs.recordImage({ key: chargeKey, comicId: comic.id, panelId: payload.panelId, result: drawn, seconds })
      costs.release(chargeKey)
    }
    let image: string
    try {
      image = library.images.put(result.bytes, result.mime)
    } catch (err) {
      if (!kept) {
        record()
        if (result.costUsd > 0) this.unsaved.set(key, result)
      }
      this.panelFailed(comic.id, payload.panelId, err instanceof KitsumyError ? err.code : 'disk', err instanceof KitsumyError ? err.message : 'Could not save the picture.')
      throw err
    }
    this.unsaved.delete(key)
    // The charge, the cache entry and the panel's picture are one write. Charged only when the job completed, a
    // process killed in between left a paid picture on the panel with no charge, and the rerun found it in the
    // cache at no cost. Now a rerun after this point is a cache hit under the same charge key (not recorded
    // again); before it, the picture is asked for again and charged once.
    library.db.transaction(() => {
      if (!kept) record()
      cache.put(`${result.engine === 'offline' ? 'offline' : 'cloud'}:${key}`, image)
      library.comics.setPanelImage(comic.id, payload.panelId, image, request.seed, this.o.clock.now())
    })()
    events.emit({ type: 'panel_updated', comicId: comic.id, panelId: payload.panelId, status: 'done', image })
    return { image, cached: false, costUsd: result.costUsd, provider: result.provider, engine: result.engine }
  }

  // Shown as failed until a retry starts it again; the reason stays with the panel, with its code.
  private panelFailed(comicId: string, panelId: string, code: ErrorCode, message: string): void {
    this.o.library.comics.setPanelStatus(panelId, 'failed', storedError(code, message))
    this.o.events.emit({ type: 'panel_updated', comicId, panelId, status: 'failed', image: null })
  }

  private settleRedraws(comicId: string): void {
    const { library, events, clock } = this.o
    const before = library.comics.status(comicId)
    if (before === null || before === 'writing' || before === 'cancelled') return
    const counts = library.comics.panelCounts(comicId)
    if (counts.pending + counts.generating > 0) return
    const { status, missing } = endStatus(counts)
    if (status === before) return
    library.comics.setStatus(comicId, status, clock.now())
    events.emit({ type: 'comic_updated', comicId, status })
    events.emit({ type: 'generation_complete', comicId, status, failed: missing })
  }

  private onQueueEvent(event: QueueEvent): void {
    const { library, events, clock } = this.o
    switch (event.type) {
      case 'queue_position':
      case 'generation_progress':
        events.emit(event)
        return
      case 'children_done': {
        if (!event.comicId || !library.comics.exists(event.comicId)) return
        const ended = endStatus(library.comics.panelCounts(event.comicId))
        const status = event.cancelled > 0 && event.completed < event.total ? 'cancelled' : ended.status
        library.comics.setStatus(event.comicId, status, clock.now())
        events.emit({ type: 'comic_updated', comicId: event.comicId, status })
        events.emit({ type: 'generation_complete', comicId: event.comicId, status, failed: ended.missing })
        return
      }
      case 'job_updated': {
        const job = event.job
        // Its charge is in the ledger now (committed with the completion), or there will be none.
        const ended = job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled'
        if (job.kind === 'panel' && ended) this.o.costs.release(job.key ?? job.id)
        // A panel drawn again on its own (a redraw, a retry): once none is left, the comic is done or partial again.
        if (job.kind === 'panel' && ended && job.parentId === null && job.comicId) this.settleRedraws(job.comicId)
        if (job.kind !== 'comic' || job.state !== 'failed' || !job.comicId || !library.comics.exists(job.comicId)) return
        library.comics.setStatus(job.comicId, 'failed', clock.now())
        const { code, message } = parseStoredError(job.error ?? storedError('internal', 'The story could not be written.'))
        events.emit({ type: 'error', comicId: job.comicId, code, message })
        events.emit({ type: 'comic_updated', comicId: job.comicId, status: 'failed' })
        events.emit({ type: 'generation_complete', comicId: job.comicId, status: 'failed', failed: 0 })
        return
      }
      default:
    }
  }
}
