import { describe, expect, it } from 'vitest'
import { Job } from '../../src/contract/domain.ts'
import { KitsumyError } from '../../src/contract/errors.ts'
import { seededRandom } from '../../src/platform/random.ts'
import { JobQueue } from '../../src/queue/job-queue.ts'
import { backoffDelay } from '../../src/queue/retry-policy.ts'
import { migrate } from '../../src/queue/schema.ts'
import { costRows, costTable, openFile, setup } from './helpers.ts'

const LEASE = 10_000

describe('schema', () => {
  it('migrates idempotently and keeps its own version apart from the library', () => {
    const { db } = setup()
    migrate(db)
    migrate(db)
    expect(db.prepare("SELECT value FROM queue_meta WHERE name = 'schema_version'").get()).toEqual({ value: '2' })
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'queue_jobs_ready'").pluck().get())
      .toMatch(/\(priority DESC, seq, kind, grp\) WHERE state = 'queued'$/)
    db.prepare("UPDATE queue_meta SET value = '99' WHERE name = 'schema_version'").run()
    expect(() => migrate(db)).toThrow(/newer Kitsumy Studio/)
  })
})

describe('enqueue and status', () => {
  it('returns an id at once and reports a contract Job with its queue position', () => {
    const { queue, clock } = setup()
    const a = queue.enqueue({ kind: 'panel', payload: { n: 1 }, comicId: 'comic-1' })
    const b = queue.enqueue({ kind: 'panel', payload: { n: 2 } })
    const job = Job.parse(queue.status(b))
    expect(job).toMatchObject({ id: b, kind: 'panel', state: 'queued', position: 2, attempts: 0, maxAttempts: 3, stalls: 0, progress: 0 })
    expect(Job.parse(queue.status(a))).toMatchObject({ comicId: 'comic-1', position: 1, createdAt: clock.now() })
    expect(queue.status('nope')).toBeNull()
  })

  it('enqueues a batch in one transaction: a bad spec leaves nothing behind', () => {
    const { queue, db } = setup()
    expect(() => queue.enqueueMany([
      { kind: 'panel', payload: 1 },
      { kind: 'panel', payload: 2, parentId: 'missing-parent' },
    ])).toThrow(KitsumyError)
    expect(() => queue.enqueueMany([{ kind: 'panel', payload: 1 }, { kind: '', payload: 2 }])).toThrow(/invalid job spec: 1\.kind/)
    for (const bad of [{ kind: 'panel', payload: 1, priority: 1.5 }, { kind: 'panel', payload: 1, comicId: 'no spaces' },
      { kind: 'panel', payload: 1, delayMs: -1 }, { kind: 'panel', payload: 1, key: '' }, null]) {
      expect(() => queue.enqueueMany([bad as never])).toThrow(expect.objectContaining({ code: 'bad_input' }))
    }
    expect(db.prepare('SELECT count(*) AS n FROM queue_jobs').get()).toEqual({ n: 0 })
    expect(queue.enqueueMany([{ kind: 'a', payload: 1 }, { kind: 'b', payload: 2 }])).toHaveLength(2)
  })

  it('sends queue_position for waiting top-level jobs as the line moves', () => {
    const { queue, events } = setup()
    const ids = ['c1', 'c2', 'c3'].map((comicId) => queue.enqueue({ kind: 'comic', payload: null, comicId }))
    const positions = () => events.filter((e) => e.type === 'queue_position')
    expect(positions()).toEqual([
      { type: 'queue_position', jobId: ids[0], comicId: 'c1', position: 1 },
      { type: 'queue_position', jobId: ids[1], comicId: 'c2', position: 2 },
      { type: 'queue_position', jobId: ids[2], comicId: 'c3', position: 3 },
    ])
    events.length = 0
    queue.claim({ kinds: ['comic'] })
    expect(positions()).toEqual([
      { type: 'queue_position', jobId: ids[1], comicId: 'c2', position: 1 },
      { type: 'queue_position', jobId: ids[2], comicId: 'c3', position: 2 },
    ])
    expect(events.find((e) => e.type === 'job_updated' && e.job.id === ids[0])).toMatchObject({ job: { state: 'active', attempts: 1, position: null } })
    events.length = 0
    const urgent = queue.enqueue({ kind: 'comic', payload: null, comicId: 'c4', priority: 10 })
    expect(positions().map((e) => [e.jobId, e.position])).toEqual([[urgent, 1], [ids[1], 2], [ids[2], 3]])
  })
})

describe('claim', () => {
  it('takes the highest priority first and keeps FIFO within a priority', () => {
    const { queue } = setup()
    const a = queue.enqueue({ kind: 'panel', payload: 'a' })
    const b = queue.enqueue({ kind: 'panel', payload: 'b' })
    const urgent = queue.enqueue({ kind: 'panel', payload: 'urgent', priority: 10 })
    const low = queue.enqueue({ kind: 'panel', payload: 'low', priority: -5 })
    const d = queue.enqueue({ kind: 'panel', payload: 'd' })
    const order = []
    for (let c = queue.claim({ kinds: ['panel'] }); c; c = queue.claim({ kinds: ['panel'] })) order.push(c.id)
    expect(order).toEqual([urgent, a, b, d, low])
  })

  it('walks the ready index in claim order: no sort, no table scan', () => {
    const { db } = setup()
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT seq FROM queue_jobs j WHERE state = 'queued'
      AND kind IN (SELECT value FROM json_each(?)) AND (grp IS NULL OR grp NOT IN (SELECT value FROM json_each(?)))
      AND (key IS NULL OR NOT EXISTS (SELECT 1 FROM queue_jobs a WHERE a.key = j.key AND a.state = 'active'))
      ORDER BY priority DESC, seq LIMIT 1`).all('[]', '[]') as { detail: string }[]
    const details = plan.map((p) => p.detail).join('\n')
    expect(details).toMatch(/USING (COVERING )?INDEX queue_jobs_ready/)
    expect(details).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
  })

  it('counts the jobs of a kind still waiting to be claimed (the backlog the router weighs), from the ready index', () => {
    const { queue, db } = setup()
    for (let i = 0; i < 5; i++) queue.enqueue({ kind: 'panel', payload: i })
    queue.enqueue({ kind: 'comic', payload: 'c' })
    expect(queue.queuedCount('panel')).toBe(5)
    queue.claim({ kinds: ['panel'] })
    expect(queue.queuedCount('panel')).toBe(4)
    expect(queue.queuedCount('comic')).toBe(1)
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT count(*) AS n FROM queue_jobs WHERE state = 'queued' AND kind = ?").all('panel') as { detail: string }[]
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/INDEX queue_jobs_ready/)
  })

  it("a comic's panels were asked for when the comic was, however long its own job waited to run", () => {
    const { queue, clock } = setup()
    const asked = clock.now()
    const comic = queue.enqueue({ kind: 'comic', payload: 'c' })
    clock.advance(44_000)
    const parent = queue.claim({ kinds: ['comic'] })!
    queue.enqueue({ kind: 'panel', payload: 1, parentId: parent.id })
    clock.advance(5_000)
    queue.enqueue({ kind: 'panel', payload: 2 })
    const child = queue.claim({ kinds: ['panel'] })!
    expect(child.createdAt).toBe(asked + 44_000)
    expect(queue.askedAt(child)).toBe(asked)
    expect(comic).toBe(parent.id)
    const alone = queue.claim({ kinds: ['panel'] })!
    expect(queue.askedAt(alone)).toBe(asked + 49_000)
  })

  it('tells when the jobs of a kind done since a time were asked for, oldest first', () => {
    const { queue, clock } = setup()
    queue.enqueue({ kind: 'panel', payload: 0 })
    clock.advance(60_000)
    const since = clock.now()
    const asked = [clock.now()]
    queue.enqueue({ kind: 'panel', payload: 1 })
    clock.advance(1_000)
    asked.push(clock.now())
    queue.enqueue({ kind: 'panel', payload: 2 })
    queue.enqueue({ kind: 'panel', payload: 3 })
    queue.enqueue({ kind: 'comic', payload: 'c' })
    for (let i = 0; i < 3; i++) {
      const job = queue.claim({ kinds: ['panel'] })!
      queue.complete(job, null)
    }
    const done = queue.claim({ kinds: ['comic'] })!
    queue.complete(done, null)
    // The first panel was asked for before `since`, the fourth is not done, the comic is another kind.
    expect(queue.askedSince('panel', since)).toEqual(asked)
  })

  it('only claims kinds the caller handles and skips held-back groups', () => {
    const { queue } = setup()
    const gpu = queue.enqueue({ kind: 'panel', payload: 1, group: 'pod' })
    const other = queue.enqueue({ kind: 'comic', payload: 2 })
    const free = queue.enqueue({ kind: 'panel', payload: 3 })
    expect(queue.claim({ kinds: ['panel'], blockedGroups: ['pod'] })?.id).toBe(free)
    expect(queue.claim({ kinds: ['panel'], blockedGroups: ['pod'] })).toBeNull()
    expect(queue.claim({ kinds: ['panel'] })?.id).toBe(gpu)
    expect(queue.status(other)?.state).toBe('queued')
  })

  it('never hands one job to two connections', () => {
    const { queue, file, clock } = setup()
    const other = new JobQueue(openFile(file), { clock })
    queue.enqueueMany(Array.from({ length: 200 }, (_, i) => ({ kind: 'panel', payload: i })))
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const c = (i % 2 ? queue : other).claim({ kinds: ['panel'] })
      expect(c).not.toBeNull()
      expect(seen.has(c!.id)).toBe(false)
      seen.add(c!.id)
    }
    expect(queue.claim({ kinds: ['panel'] })).toBeNull()
    expect(other.claim({ kinds: ['panel'] })).toBeNull()
  })

  it('holds delayed jobs back until their time, then promotes them', () => {
    const { queue, clock } = setup()
    const id = queue.enqueue({ kind: 'panel', payload: null, delayMs: 5_000 })
    expect(queue.status(id)).toMatchObject({ state: 'delayed', position: null })
    expect(queue.nextRunAt()).toBe(clock.now() + 5_000)
    expect(queue.promoteDue()).toBe(0)
    expect(queue.claim({ kinds: ['panel'] })).toBeNull()
    clock.advance(5_000)
    expect(queue.promoteDue()).toBe(1)
    expect(queue.nextRunAt()).toBeNull()
    expect(queue.claim({ kinds: ['panel'] })?.id).toBe(id)
  })
})

describe('leases and stalls', () => {
  it('renewing keeps a lease alive; an expired one goes back to the queue as a stall', () => {
    const { queue, clock } = setup()
    const id = queue.enqueue({ kind: 'panel', payload: null })
    const claim = queue.claim({ kinds: ['panel'] })!
    clock.advance(LEASE - 1)
    expect(queue.renew([claim])).toEqual([])
    clock.advance(LEASE - 1)
    expect(queue.recoverStalled()).toBe(0)
    clock.advance(2)
    expect(queue.recoverStalled()).toBe(1)
    expect(queue.status(id)).toMatchObject({ state: 'queued', stalls: 1, attempts: 0 })
    expect(queue.renew([claim])).toEqual([claim])
  })

  it('fails a job that stalls more than maxStalls times', () => {
    const { queue, clock } = setup({ maxStalls: 2 })
    const id = queue.enqueue({ kind: 'panel', payload: null })
    for (let i = 1; i <= 3; i++) {
      queue.claim({ kinds: ['panel'] })
      clock.advance(LEASE + 1)
      expect(queue.recoverStalled()).toBe(1)
    }
    expect(queue.status(id)).toMatchObject({ state: 'failed', stalls: 3, error: 'lost: stalled 3 times' })
  })

  it('releases a lease without counting a stall or an attempt', () => {
    const { queue } = setup()
    const id = queue.enqueue({ kind: 'panel', payload: null })
    const claim = queue.claim({ kinds: ['panel'] })!
    expect(queue.release({ id, lease: 'someone-else' })).toBe(false)
    expect(queue.release(claim)).toBe(true)
    expect(queue.status(id)).toMatchObject({ state: 'queued', stalls: 0, attempts: 0, position: 1 })
  })
})

describe('completion', () => {
  it('stores the result and runs the cost hook in the same transaction, exactly once', () => {
    const { queue, db } = setup()
    costTable(db)
    const id = queue.enqueue({ kind: 'panel', payload: null, key: 'img-1' })
    const claim = queue.claim({ kinds: ['panel'] })!
    const charge = () => { db.prepare('INSERT INTO fake_costs (job_id, key, usd) VALUES (?, ?, ?)').run(id, 'img-1', 0.01) }
    expect(queue.complete(claim, { image: 'a.png' }, charge)).toEqual({ outcome: 'completed', fresh: true })
    expect(queue.complete(claim, { image: 'a.png' }, charge)).toEqual({ outcome: 'gone', fresh: false })
    expect(costRows(db)).toHaveLength(1)
    expect(queue.status(id)).toMatchObject({ state: 'completed', progress: 1, attempts: 1 })
    expect(queue.result(id)).toEqual({ image: 'a.png' })
    expect(queue.resultForKey('img-1')).toEqual({ image: 'a.png' })
  })

  it('a later job with the same key reuses the stored result and records no new cost', () => {
    const { queue, db } = setup()
    costTable(db)
    const charge = (id: string) => () => { db.prepare('INSERT INTO fake_costs (job_id, key, usd) VALUES (?, ?, ?)').run(id, 'img-1', 0.01) }
    const first = queue.enqueue({ kind: 'panel', payload: null, key: 'img-1' })
    queue.complete(queue.claim({ kinds: ['panel'] })!, { image: 'first.png' }, charge(first))
    const second = queue.enqueue({ kind: 'panel', payload: null, key: 'img-1' })
    expect(second).not.toBe(first)
    expect(queue.complete(queue.claim({ kinds: ['panel'] })!, { image: 'second.png' }, charge(second))).toEqual({ outcome: 'completed', fresh: false })
    expect(costRows(db)).toEqual([{ job_id: first, key: 'img-1', usd: 0.01 }])
    expect(queue.result(second)).toEqual({ image: 'first.png' })
  })

  it('rolls everything back when the hook throws', () => {
    const { queue, db } = setup()
    costTable(db)
    const id = queue.enqueue({ kind: 'panel', payload: null, key: 'img-1' })
    const claim = queue.claim({ kinds: ['panel'] })!
    expect(() => queue.complete(claim, 'r', () => {
      db.prepare('INSERT INTO fake_costs (job_id, key, usd) VALUES (?, ?, ?)').run(id, 'img-1', 1)
      throw new Error('ledger unavailable')
    })).toThrow('ledger unavailable')
    expect(costRows(db)).toEqual([])
    expect(queue.resultForKey('img-1')).toBeUndefined()
    expect(queue.status(id)?.state).toBe('active')
  })

  it('accepts a result that arrives after its lease was lost, and only once', () => {
    const { queue, clock } = setup()
    const id = queue.enqueue({ kind: 'panel', payload: null, key: 'k' })
    const stale = queue.claim({ kinds: ['panel'] })!
    clock.advance(LEASE + 1)
    queue.recoverStalled()
    const second = queue.claim({ kinds: ['panel'] })!
    expect(second.lease).not.toBe(stale.lease)
    expect(queue.complete(stale, 'late but real')).toEqual({ outcome: 'completed', fresh: true })
    expect(queue.complete(second, 'again')).toEqual({ outcome: 'gone', fresh: false })
    expect(queue.fail(second, new Error('x'))).toEqual({ outcome: 'gone' })
    expect(queue.status(id)).toMatchObject({ state: 'completed', stalls: 1 })
    expect(queue.result(id)).toBe('late but real')
  })
})

describe('failures and retries', () => {
  it('backs off exponentially with seeded jitter, then fails when attempts run out', () => {
    const backoff = { baseMs: 1_000, maxMs: 60_000 }
    const { queue, clock } = setup({ backoff, random: seededRandom(7) })
    const expected = seededRandom(7)
    const id = queue.enqueue({ kind: 'panel', payload: null, maxAttempts: 3 })
    for (let attempt = 1; attempt <= 2; attempt++) {
      const claim = queue.claim({ kinds: ['panel'] })!
      expect(claim.attempts).toBe(attempt)
      const out = queue.fail(claim, new KitsumyError('timeout', 'engine timed out'))
      const delay = backoffDelay(attempt, backoff, expected)
      expect(out).toEqual({ outcome: 'retry', delayMs: delay, consumedAttempt: true })
      expect(queue.status(id)).toMatchObject({ state: 'delayed', attempts: attempt, error: 'timeout: engine timed out' })
      clock.advance(delay - 1)
      expect(queue.promoteDue()).toBe(0)
      clock.advance(1)
      expect(queue.promoteDue()).toBe(1)
    }
    expect(queue.fail(queue.claim({ kinds: ['panel'] })!, new KitsumyError('timeout', 'again'))).toEqual({ outcome: 'failed', error: 'timeout: again' })
    expect(queue.status(id)).toMatchObject({ state: 'failed', attempts: 3 })
  })

  it('fails at once on errors that must not be retried', () => {
    const { queue } = setup()
    const a = queue.enqueue({ kind: 'panel', payload: null })
    const b = queue.enqueue({ kind: 'panel', payload: null })
    queue.fail(queue.claim({ kinds: ['panel'] })!, new KitsumyError('auth', 'bad key'))
    queue.fail(queue.claim({ kinds: ['panel'] })!, new KitsumyError('bad_input', 'prompt too long'))
    expect(queue.status(a)).toMatchObject({ state: 'failed', attempts: 1, error: 'auth: bad key' })
    expect(queue.status(b)).toMatchObject({ state: 'failed', attempts: 1, error: 'bad_input: prompt too long' })
  })

  it('a 429 with retry-after waits that long and does not use up an attempt', () => {
    const { queue, clock } = setup()
    const id = queue.enqueue({ kind: 'panel', payload: null, maxAttempts: 1 })
    for (let i = 0; i < 5; i++) {
      const out = queue.fail(queue.claim({ kinds: ['panel'] })!, new KitsumyError('rate_limit', 'slow down', { retryAfterMs: 7_000 }))
      expect(out).toEqual({ outcome: 'retry', delayMs: 7_000, consumedAttempt: false })
      expect(queue.status(id)).toMatchObject({ state: 'delayed', attempts: 0 })
      clock.advance(7_000)
      queue.promoteDue()
    }
    queue.complete(queue.claim({ kinds: ['panel'] })!, 'ok')
    expect(queue.status(id)).toMatchObject({ state: 'completed', attempts: 1 })
  })

  it('ignores a failure reported under a lease that is no longer held', () => {
    const { queue } = setup()
    const id = queue.enqueue({ kind: 'panel', payload: null })
    queue.claim({ kinds: ['panel'] })
    expect(queue.fail({ id, lease: 'stale' }, new Error('x'))).toEqual({ outcome: 'gone' })
    expect(queue.status(id)?.state).toBe('active')
  })
})

describe('deduplication', () => {
  it('returns the live job for a key that is queued or active', () => {
    const { queue } = setup()
    const id = queue.enqueue({ kind: 'panel', payload: 1, key: 'k' })
    expect(queue.enqueue({ kind: 'panel', payload: 2, key: 'k' })).toBe(id)
    const claim = queue.claim({ kinds: ['panel'] })!
    expect(queue.enqueueMany([{ kind: 'panel', payload: 3, key: 'k' }, { kind: 'panel', payload: 4, key: 'k' }])).toEqual([id, id])
    queue.complete(claim, 'done')
    expect(queue.enqueue({ kind: 'panel', payload: 5, key: 'k' })).not.toBe(id)
  })

  it('children of different parents may share a key, but only one of them runs at a time', () => {
    const { queue } = setup()
    const parents = ['a', 'b'].map((comicId) => queue.enqueue({ kind: 'comic', payload: null, comicId }))
    const [ka, kb] = parents.map((parentId) => queue.enqueue({ kind: 'panel', payload: null, key: 'same-image', parentId }))
    expect(ka).not.toBe(kb)
    const first = queue.claim({ kinds: ['panel'] })!
    expect(first.id).toBe(ka)
    expect(queue.claim({ kinds: ['panel'] })).toBeNull()
    queue.complete(first, 'img')
    expect(queue.claim({ kinds: ['panel'] })?.id).toBe(kb)
    expect(queue.resultForKey('same-image')).toBe('img')
  })

  it('a parent that enqueues its children again (after a retry) gets the same children back', () => {
    const { queue } = setup()
    const parent = queue.enqueue({ kind: 'comic', payload: null })
    queue.claim({ kinds: ['comic'] })
    const kids = queue.enqueueMany([1, 2].map((n) => ({ kind: 'panel', payload: n, key: `img-${n}`, parentId: parent })))
    queue.complete(queue.claim({ kinds: ['panel'] })!, 'done')
    expect(queue.enqueueMany([1, 2].map((n) => ({ kind: 'panel', payload: n, key: `img-${n}`, parentId: parent })))).toEqual(kids)
    expect(queue.childCounts(parent)).toMatchObject({ total: 2, done: 1 })
  })
})

describe('parents and children', () => {
  it('completes the parent after its last child, counting failures, with progress events', () => {
    const { queue, events } = setup()
    const parent = queue.enqueue({ kind: 'comic', payload: null, comicId: 'c1' })
    const parentClaim = queue.claim({ kinds: ['comic'] })!
    const kids = queue.enqueueMany([1, 2, 3].map((n) => ({ kind: 'panel', payload: n, parentId: parent, comicId: 'c1' })))
    expect(queue.complete(parentClaim, { title: 'Fox' })).toEqual({ outcome: 'waiting', fresh: true })
    expect(queue.status(parent)).toMatchObject({ state: 'active', progress: 0 })
    const more = queue.enqueue({ kind: 'panel', payload: 4, parentId: parent, comicId: 'c1' })
    queue.complete(queue.claim({ kinds: ['panel'] })!, 'p1')
    queue.fail(queue.claim({ kinds: ['panel'] })!, new KitsumyError('bad_input', 'nsfw prompt'))
    expect(queue.status(parent)).toMatchObject({ state: 'active', progress: 0.5 })
    queue.complete(queue.claim({ kinds: ['panel'] })!, 'p3')
    expect(queue.status(parent)?.state).toBe('active')
    queue.complete(queue.claim({ kinds: ['panel'] })!, 'p4')
    expect(queue.status(parent)).toMatchObject({ state: 'completed', progress: 1 })
    expect(queue.result(parent)).toEqual({ title: 'Fox' })
    expect(queue.children(parent).map((j) => j.id)).toEqual([...kids, more])
    expect(events.filter((e) => e.type === 'generation_progress').map((e) => [e.current, e.total])).toEqual([
      [0, 3], [0, 4], [1, 4], [2, 4], [3, 4], [4, 4],
    ])
    expect(events.filter((e) => e.type === 'children_done')).toEqual([
      { type: 'children_done', parentId: parent, comicId: 'c1', total: 4, completed: 3, failed: 1, cancelled: 0 },
    ])
    expect(() => queue.enqueue({ kind: 'panel', payload: 5, parentId: parent })).toThrow(/already completed/)
  })

  it('completes a parent whose children all finished before its own work did', () => {
    const { queue, events } = setup()
    const parent = queue.enqueue({ kind: 'comic', payload: null })
    const parentClaim = queue.claim({ kinds: ['comic'] })!
    queue.enqueue({ kind: 'panel', payload: 1, parentId: parent })
    queue.complete(queue.claim({ kinds: ['panel'] })!, 'p1')
    expect(queue.complete(parentClaim, 'story')).toEqual({ outcome: 'completed', fresh: true })
    expect(events.filter((e) => e.type === 'children_done')).toMatchObject([{ total: 1, completed: 1 }])
  })

  it('a parent that fails for good cancels the children it no longer needs', () => {
    const { queue } = setup()
    const parent = queue.enqueue({ kind: 'comic', payload: null })
    const parentClaim = queue.claim({ kinds: ['comic'] })!
    const [done, open] = queue.enqueueMany([1, 2].map((n) => ({ kind: 'panel', payload: n, parentId: parent })))
    queue.complete(queue.claim({ kinds: ['panel'] })!, 'p1')
    queue.fail(parentClaim, new KitsumyError('auth', 'bad OpenAI key'))
    expect(queue.status(parent)?.state).toBe('failed')
    expect(queue.status(done)?.state).toBe('completed')
    expect(queue.status(open)?.state).toBe('cancelled')
  })
})

describe('cancellation', () => {
  it('cancels a job and its live descendants, and tells workers which runs to abort', () => {
    const { queue } = setup()
    const aborted: string[] = []
    queue.watch((s) => { if (s.type === 'cancelled') aborted.push(...s.ids) })
    const parent = queue.enqueue({ kind: 'comic', payload: null, comicId: 'c1' })
    queue.claim({ kinds: ['comic'] })
    const [a, b] = queue.enqueueMany([1, 2].map((n) => ({ kind: 'panel', payload: n, parentId: parent, comicId: 'c1' })))
    queue.complete(queue.claim({ kinds: ['panel'] })!, 'done')
    expect(queue.cancel(parent)).toBe(2)
    expect(queue.cancel(parent)).toBe(0)
    expect([queue.status(parent)?.state, queue.status(a)?.state, queue.status(b)?.state]).toEqual(['cancelled', 'completed', 'cancelled'])
    expect(aborted.sort()).toEqual([parent, b].sort())
  })

  it('cancels a whole comic and nothing else', () => {
    const { queue } = setup()
    const mine = [1, 2, 3].map((n) => queue.enqueue({ kind: 'panel', payload: n, comicId: 'mine' }))
    const theirs = queue.enqueue({ kind: 'panel', payload: 4, comicId: 'theirs' })
    queue.claim({ kinds: ['panel'] })
    expect(queue.cancelComic('mine')).toBe(3)
    expect(mine.map((id) => queue.status(id)?.state)).toEqual(['cancelled', 'cancelled', 'cancelled'])
    expect(queue.status(theirs)).toMatchObject({ state: 'queued', position: 1 })
  })

  it('a cancelled child still lets its parent finish', () => {
    const { queue, events } = setup()
    const parent = queue.enqueue({ kind: 'comic', payload: null })
    const parentClaim = queue.claim({ kinds: ['comic'] })!
    const [a, b] = queue.enqueueMany([1, 2].map((n) => ({ kind: 'panel', payload: n, parentId: parent })))
    queue.complete(parentClaim, null)
    queue.cancel(b)
    queue.complete(queue.claim({ kinds: ['panel'] })!, a)
    expect(queue.status(parent)?.state).toBe('completed')
    expect(events.filter((e) => e.type === 'children_done')).toMatchObject([{ completed: 1, cancelled: 1 }])
  })
})

describe('ids', () => {
  it('never hands out an id twice, even after the jobs holding it were pruned', () => {
    const { queue } = setup()
    const first = queue.enqueueMany([1, 2, 3].map((n) => ({ kind: 'panel', payload: n })))
    queue.cancel(first[2])
    expect(queue.prune({ maxCount: 0 })).toBe(1)
    const next = queue.enqueue({ kind: 'panel', payload: 4 })
    expect(first).not.toContain(next)
    expect(queue.status('not-a-job-id')).toBeNull()
    expect(queue.cancel('j999999')).toBe(0)
  })
})

describe('pause and retention', () => {
  it('remembers a pause across a restart', () => {
    const { queue, db, clock, events } = setup()
    queue.pause()
    expect(new JobQueue(db, { clock }).isPaused()).toBe(true)
    queue.resume()
    expect(new JobQueue(db, { clock }).isPaused()).toBe(false)
    expect(events.filter((e) => e.type === 'paused' || e.type === 'resumed').map((e) => e.type)).toEqual(['paused', 'resumed'])
  })

  it('prunes finished jobs by age and by count, never under a live parent', () => {
    const { queue, clock, db } = setup()
    const finish = (key: string) => {
      queue.enqueue({ kind: 'panel', payload: null, key })
      queue.complete(queue.claim({ kinds: ['panel'] })!, key)
      clock.advance(1_000)
    }
    finish('old-1')
    finish('old-2')
    const parent = queue.enqueue({ kind: 'comic', payload: null })
    const parentClaim = queue.claim({ kinds: ['comic'] })!
    const kid = queue.enqueue({ kind: 'panel', payload: null, parentId: parent, key: 'kid' })
    queue.complete(queue.claim({ kinds: ['panel'] })!, 'kid')
    clock.advance(1_000)
    finish('new-1')
    finish('new-2')
    const live = queue.enqueue({ kind: 'panel', payload: null })
    clock.advance(10_000)

    expect(queue.prune({ maxAgeMs: 12_500 })).toBe(2)
    expect(queue.resultForKey('old-1')).toBeUndefined()
    expect(queue.status(kid)?.state).toBe('completed')
    expect(queue.prune({ maxCount: 1 })).toBe(1)
    expect(queue.status(kid)).not.toBeNull()
    expect(queue.status(live)?.state).toBe('queued')
    queue.complete(parentClaim, 'story')
    expect(queue.prune({ maxCount: 0 })).toBe(3)
    expect(db.prepare('SELECT count(*) AS n FROM queue_jobs').get()).toEqual({ n: 1 })
    expect(db.prepare('SELECT count(*) AS n FROM queue_results').get()).toEqual({ n: 0 })
  })
})
