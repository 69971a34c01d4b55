import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDispatch, type Dispatch } from '../../src/api/dispatch.ts'
import { KitsumyError, parseStoredError, type Comic, type StudioEvent } from '../../src/contract/index.ts'
import type { ImageMime } from '../../src/art/engine.ts'
import { ImageStore } from '../../src/library/image-store.ts'
import { EnvSecrets } from '../../src/platform/secrets.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { FakeReplicate } from '../fakes/replicate-server.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { makeStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'
import { FastClock, listFiles, queueIdle } from './helpers.ts'

// The disk fills up while pictures are being saved. No tmpfs can be mounted here, so the image store's
// write is wrapped: while `full`, it fails the way ImageStore.put fails on ENOSPC. The real store's own
// mapping of a failed write is checked below with a real filesystem error.

class FullDiskStore extends ImageStore {
  full = false
  refused = 0

  override put(bytes: Uint8Array, mime: ImageMime): string {
    if (!this.full) return super.put(bytes, mime)
    this.refused++
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 })
    throw new KitsumyError('disk', 'The disk is full: free some space and retry.', { cause: enospc })
  }
}

const REPLICATE_KEY = 'r8_HARDENING_disk_0123456789abcdef'
const cleanups: Array<() => Promise<unknown> | unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

interface Run { studio: Studio; dispatch: Dispatch; events: StudioEvent[]; store: FullDiskStore }

function open(studio: Studio): Run {
  const store = new FullDiskStore(studio.library.images.dir)
  ;(studio.library as { images: ImageStore }).images = store
  const events: StudioEvent[] = []
  studio.events.on((e) => events.push(e))
  cleanups.push(() => studio.close())
  studio.start()
  return { studio, dispatch: createDispatch(studio.handlers('ipc')), events, store }
}

function until(run: Run, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve()
    const off = run.studio.events.on(() => { if (done()) { off(); resolve() } })
  })
}

async function comic(run: Run, idea: string, seed: number): Promise<Comic> {
  const created = await run.dispatch('comics.create', { idea, styleId: 'pop-art', pages: 1, seed })
  if (!created.ok) throw new Error(created.error.message)
  const { comicId } = created.data as { comicId: string }
  await until(run, () => run.events.some((e) => e.type === 'generation_complete' && e.comicId === comicId))
  return run.studio.comic(comicId)
}

const panels = (c: Comic) => c.pages.flatMap((p) => p.panels)

describe('the disk fills up while panels are saved', () => {
  it('marks the panels failed with a clear, retryable disk error, keeps everything else, and retries once there is room', async () => {
    const run = open(makeStudio(tempDir('kitsumy-disk-'), { clock: new FastClock(50) }))
    const before = await comic(run, 'A robot tends a rooftop garden', 1)
    expect(before.status).toBe('done')
    const imagesBefore = listFiles(run.store.dir).sort()

    run.store.full = true
    const hit = await comic(run, 'A whale sings to a lighthouse', 2)
    expect(run.store.refused).toBeGreaterThan(0)
    expect(hit.status).toBe('failed')
    for (const p of panels(hit)) {
      expect(p.status).toBe('failed')
      expect(p.image).toBeNull()
      expect(parseStoredError(p.error!)).toEqual({ code: 'disk', message: 'The disk is full: free some space and retry.' })
    }
    // The queue took 'disk' as retryable: it tried each panel again before giving up.
    const jobs = run.studio.library.db.prepare("SELECT state, attempts, max_attempts AS maxAttempts, error FROM queue_jobs WHERE kind = 'panel' AND comic_id = ?").all(hit.id) as { state: string; attempts: number; maxAttempts: number; error: string }[]
    for (const j of jobs) expect(j).toMatchObject({ state: 'failed', attempts: j.maxAttempts, error: expect.stringContaining('disk is full') })
    expect(jobs[0].maxAttempts).toBeGreaterThan(1)

    // Everything made before is untouched and still usable.
    expect(run.studio.comic(before.id)).toEqual(before)
    expect(listFiles(run.store.dir).sort()).toEqual(imagesBefore)
    expect(readdirSync(run.store.dir, { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toEqual([])
    const svg = await run.dispatch('pages.svg', { comicId: before.id, pageIndex: 0 })
    expect(svg.ok).toBe(true)
    expect((await run.dispatch('comics.list', {})).ok).toBe(true)

    run.store.full = false
    for (const p of panels(hit)) expect((await run.dispatch('panels.regenerate', { comicId: hit.id, panelId: p.id })).ok).toBe(true)
    await until(run, () => panels(run.studio.comic(hit.id)).every((p) => p.status === 'done'))
    expect(panels(run.studio.comic(hit.id)).every((p) => p.image && p.error === null)).toBe(true)
    expect(run.studio.library.db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('a cloud picture already paid for is not paid again when the disk was full as it arrived', async () => {
    const clock = new FastClock(50)
    const log = new GenerationLog()
    const replicate = await new FakeReplicate({ clock, log, token: REPLICATE_KEY, predictMs: 2_000 }).start()
    cleanups.push(() => replicate.close())
    const studio = makeStudio(tempDir('kitsumy-disk-cloud-'), { clock, secrets: new EnvSecrets({ REPLICATE_API_TOKEN: REPLICATE_KEY }) })
    studio.library.settings.put('cloud.overrides', { urls: { replicate: `${replicate.url}/v1` }, poll: { jobSeconds: 1 } })
    const run = open(studio)
    run.store.full = true
    const hit = await comic(run, 'A cat delivers letters across the rooftops', 3)
    expect(panels(hit).every((p) => p.status === 'failed')).toBe(true)
    const paid = log.done.length
    expect(paid).toBe(panels(hit).length)
    // The provider billed each picture as it arrived: the ledger says so at once, not only once it is saved.
    const charges = () => studio.library.db.prepare("SELECT panel_id FROM cost_charges WHERE comic_id = ? AND kind = 'image'").all(hit.id)
    expect(charges()).toHaveLength(paid)
    const spent = studio.costs.ledger.comicTotal(hit.id).usd
    expect(spent).toBeCloseTo(paid * 0.025, 6)

    // A cap the comic has already reached does not stop pictures it has already paid for.
    studio.settings.update({ budgets: { comicUsd: spent } })
    run.store.full = false
    for (const p of panels(hit)) await run.dispatch('panels.regenerate', { comicId: hit.id, panelId: p.id })
    await queueIdle(run.studio, hit.id)
    expect(panels(run.studio.comic(hit.id)).every((p) => p.status === 'done')).toBe(true)
    // Every picture came from the provider once: the ones that could not be saved were kept, not redrawn.
    expect(log.done.length).toBe(paid)
    for (const [seed, n] of log.countBySeed()) expect(n, `seed ${seed}`).toBe(1)
    // And the ledger has one charge per picture.
    expect(charges()).toHaveLength(paid)
    expect(studio.costs.ledger.comicTotal(hit.id).usd).toBeCloseTo(spent, 9)
  })
})

describe('ImageStore.put on a real failing filesystem', () => {
  it('reports a disk error and leaves no temporary file when the folder cannot be written', () => {
    const dir = tempDir('kitsumy-store-')
    const store = new ImageStore(join(dir, 'images'))
    const bytes = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')
    const id = store.put(bytes, 'image/svg+xml')
    const other = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><circle/></svg>')
    // A file squatting where the picture's subfolder has to be: mkdir and write fail for real.
    const otherId = new ImageStore(join(dir, 'probe')).put(other, 'image/svg+xml')
    const squat = join(dir, 'images', otherId.slice(0, 2))
    if (otherId.slice(0, 2) !== id.slice(0, 2)) writeFileSync(squat, 'not a folder')
    else mkdirSync(join(squat, otherId), { recursive: true })
    let err: unknown = null
    try {
      store.put(other, 'image/svg+xml')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(KitsumyError)
    expect(err).toMatchObject({ code: 'disk', retryable: true })
    expect(listFiles(join(dir, 'images')).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(Buffer.from(store.read(id)).equals(bytes)).toBe(true)
  })
})
