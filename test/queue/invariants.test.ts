import { expect, it } from 'vitest'
import { KitsumyError } from '../../src/contract/errors.ts'
import { intBetween, pick, seededRandom } from '../../src/platform/random.ts'
import type { ClaimedJob } from '../../src/queue/job-queue.ts'
import { setup } from './helpers.ts'

const FINAL = new Set(['completed', 'failed', 'cancelled'])

// Random sequences of everything the studio and its workers do to a queue of comics and panels;
// after every step the bookkeeping kept on parents must match what the rows say.
it('keeps parent counts, parent states and key rules consistent under random operations', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const { queue, clock, db } = setup({ random: seededRandom(seed), maxStalls: 1, backoff: { baseMs: 100, maxMs: 400 } })
    const rand = seededRandom(seed * 7919)
    const held: ClaimedJob[] = []
    const comics = ['a', 'b', 'c']
    const ops: (() => void)[] = [
      () => { queue.enqueue({ kind: 'comic', payload: null, comicId: pick(rand, comics) }) },
      () => {
        const parents = held.filter((j) => j.kind === 'comic')
        if (parents.length === 0) return
        const parent = pick(rand, parents)
        const add = () => queue.enqueueMany(Array.from({ length: intBetween(rand, 1, 4) }, () => ({
          kind: 'panel', payload: null, parentId: parent.id, comicId: parent.comicId ?? undefined, key: `img-${intBetween(rand, 1, 12)}`,
        })))
        // The parent may have been cancelled or failed under its worker: then only children it
        // already has come back, and a new one is refused.
        if (!FINAL.has(queue.status(parent.id)!.state)) return void add()
        const before = new Set(queue.children(parent.id).map((j) => j.id))
        let ids: string[] = []
        try {
          ids = add()
        } catch (err) {
          expect((err as Error).message).toMatch(/already/)
        }
        expect(ids.every((id) => before.has(id))).toBe(true)
      },
      () => { const j = queue.claim({ kinds: [pick(rand, ['comic', 'panel'])] }); if (j) held.push(j) },
      () => { if (held.length) queue.complete(held.splice(intBetween(rand, 0, held.length - 1), 1)[0], 'ok') },
      () => { if (held.length) queue.fail(held.splice(intBetween(rand, 0, held.length - 1), 1)[0], new KitsumyError('timeout', 'slow')) },
      () => { if (held.length) queue.fail(held.splice(intBetween(rand, 0, held.length - 1), 1)[0], new KitsumyError('bad_input', 'no')) },
      () => {
        const ids = (db.prepare('SELECT id FROM queue_jobs').all() as { id: string }[]).map((r) => r.id)
        if (ids.length) queue.cancel(pick(rand, ids))
      },
      () => { queue.cancelComic(pick(rand, comics)) },
      () => { clock.advance(intBetween(rand, 50, 12_000)); queue.recoverStalled(); queue.promoteDue() },
      () => { if (held.length) queue.renew(held) },
    ]
    for (let step = 0; step < 200; step++) {
      pick(rand, ops)()
      check(db)
    }
  }
})

// Returns every broken rule as text, so one assertion per step reports all of them.
function check(db: ReturnType<typeof setup>['db']): void {
  const rows = db.prepare('SELECT * FROM queue_jobs').all() as Record<string, any>[]
  const results = new Set((db.prepare('SELECT key FROM queue_results').all() as { key: string }[]).map((r) => r.key))
  const bySeq = new Map(rows.map((r) => [r.seq, r]))
  const kidsOf = new Map<number, Record<string, any>[]>()
  for (const r of rows) if (r.parent !== null) kidsOf.set(r.parent, [...(kidsOf.get(r.parent) ?? []), r])
  const broken: string[] = []
  for (const job of rows) {
    const kids = kidsOf.get(job.seq) ?? []
    const count = (state: string) => kids.filter((k) => k.state === state).length
    const done = count('completed') + count('failed') + count('cancelled')
    const counters = [job.children_total, job.children_completed, job.children_failed, job.children_cancelled].join()
    if (counters !== [kids.length, count('completed'), count('failed'), count('cancelled')].join()) broken.push(`${job.id} counters ${counters}`)
    if (job.state === 'waiting' && done === kids.length) broken.push(`${job.id} waits with all children done`)
    if (job.state === 'completed' && done !== kids.length) broken.push(`${job.id} completed before its children`)
    if ((job.state === 'failed' || job.state === 'cancelled') && done !== kids.length) broken.push(`${job.id} ${job.state} with live children`)
    if (job.progress < 0 || job.progress > 1) broken.push(`${job.id} progress ${job.progress}`)
    if (job.parent !== null && !bySeq.has(job.parent)) broken.push(`${job.id} orphan`)
    if ((job.state === 'active') !== (job.lease !== null)) broken.push(`${job.id} ${job.state} with lease ${job.lease}`)
    if (job.state === 'completed' && job.key !== null && !results.has(job.key)) broken.push(`${job.id} completed without a stored result`)
  }
  const activeKeys = rows.filter((r) => r.state === 'active' && r.key !== null).map((r) => r.key)
  if (new Set(activeKeys).size !== activeKeys.length) broken.push(`one key running twice: ${activeKeys.join()}`)
  expect(broken).toEqual([])
}
