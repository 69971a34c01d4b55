import { createHash } from 'node:crypto'
import { expect, it } from 'vitest'
import { KitsumyError } from '../../src/contract/errors.ts'
import type { QueueEvent } from '../../src/queue/events.ts'
import { Worker } from '../../src/queue/worker.ts'
import { costRows, costTable, settle, setup } from './helpers.ts'

interface ComicPayload { idea: string; panels: string[] }

const cacheKey = (prompt: string) => createHash('sha256').update(prompt).digest('hex')

// The studio's flow with trivial handlers: a comic job writes its story, then enqueues one child per
// panel keyed by the image's cache key; the comic finishes when its last panel does.
it('runs comics as parents of their panel images and reports progress the way the studio needs', async () => {
  const s = setup()
  costTable(s.db)
  const storiesWritten: string[] = []
  const drawn: string[] = []
  const worker = new Worker(s.queue, {
    comic: async (job) => {
      const { idea, panels } = job.payload as ComicPayload
      await Promise.resolve()
      storiesWritten.push(idea)
      s.queue.enqueueMany(panels.map((prompt) => ({
        kind: 'panel', payload: { prompt }, key: cacheKey(prompt), parentId: job.id, comicId: job.comicId!, group: 'pod',
      })))
      return { title: idea.toUpperCase() }
    },
    panel: async (job, ctx) => {
      const { prompt } = job.payload as { prompt: string }
      if (prompt.includes('forbidden')) throw new KitsumyError('bad_input', 'the engine refused this prompt')
      drawn.push(prompt)
      ctx.progress(0.5)
      ctx.onComplete((db) => { db.prepare('INSERT INTO fake_costs (job_id, key, usd) VALUES (?, ?, ?)').run(job.id, job.key, 0.003) })
      return { image: `${job.key!.slice(0, 8)}.svg` }
    },
  }, { concurrency: 3, clock: s.clock, groups: { story: { concurrency: 1 }, pod: { concurrency: 1 } } })
  worker.start()

  const fox = s.queue.enqueue({ kind: 'comic', payload: { idea: 'fox', panels: ['fox runs', 'fox jumps', 'forbidden fox', 'fox sleeps'] }, comicId: 'fox', group: 'story' })
  const tram = s.queue.enqueue({ kind: 'comic', payload: { idea: 'tram', panels: ['tram at night', 'fox runs'] }, comicId: 'tram', group: 'story' })
  expect(s.queue.status(tram)).toMatchObject({ state: 'queued', position: 2 })
  await settle(40)

  expect(storiesWritten).toEqual(['fox', 'tram'])
  expect(s.queue.status(fox)).toMatchObject({ state: 'completed', progress: 1 })
  expect(s.queue.status(tram)).toMatchObject({ state: 'completed', progress: 1 })
  expect(s.queue.result(fox)).toEqual({ title: 'FOX' })

  const of = (comicId: string) => s.events.filter((e): e is Extract<QueueEvent, { comicId: string | null }> => 'comicId' in e && e.comicId === comicId)
  expect(of('tram').filter((e) => e.type === 'queue_position').map((e) => e.type === 'queue_position' && e.position)).toEqual([2, 1])
  const progress = of('fox').filter((e) => e.type === 'generation_progress')
  expect(progress[0]).toEqual({ type: 'generation_progress', comicId: 'fox', current: 0, total: 4 })
  expect(progress.at(-1)).toEqual({ type: 'generation_progress', comicId: 'fox', current: 4, total: 4 })
  expect(progress.map((e) => e.type === 'generation_progress' && e.current)).toEqual([0, 1, 2, 3, 4])
  expect(of('fox').filter((e) => e.type === 'children_done')).toEqual([
    { type: 'children_done', parentId: fox, comicId: 'fox', total: 4, completed: 3, failed: 1, cancelled: 0 },
  ])
  expect(of('tram').filter((e) => e.type === 'children_done')).toMatchObject([{ total: 2, completed: 2, failed: 0 }])

  // "fox runs" is drawn once and paid for once, though both comics asked for it while it was queued.
  const foxRuns = cacheKey('fox runs')
  expect(drawn.filter((p) => p === 'fox runs')).toHaveLength(1)
  expect(drawn).toHaveLength(4)
  expect(costRows(s.db).filter((r) => r.key === foxRuns)).toHaveLength(1)
  expect(costRows(s.db)).toHaveLength(4)
  const tramPanel = s.queue.children(tram).find((j) => j.key === foxRuns)!
  expect(s.queue.result(tramPanel.id)).toEqual({ image: `${foxRuns.slice(0, 8)}.svg` })
  expect(s.queue.children(fox).find((j) => j.state === 'failed')?.error).toBe('bad_input: the engine refused this prompt')
  await worker.drain(1_000)
})
