import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { systemClock } from '../../src/platform/clock.ts'
import { JobQueue } from '../../src/queue/job-queue.ts'
import { migrate, QUEUE_PRAGMAS } from '../../src/queue/schema.ts'
import { WalCheckpointer } from '../../src/queue/wal-checkpointer.ts'
const ckpt = process.argv[2] ?? '1000'
rmSync('/tmp/pf.db', { force: true }); rmSync('/tmp/pf.db-wal', { force: true })
const db = new Database('/tmp/pf.db'); for (const p of QUEUE_PRAGMAS) db.pragma(p); migrate(db)
db.pragma('wal_autocheckpoint = ' + (ckpt === 'thread' ? 1000 : ckpt))
const cp = ckpt === 'thread' ? new WalCheckpointer(db, { clock: systemClock, intervalMs: 200 }) : null
cp?.start()
const q = new JobQueue(db, { clock: systemClock })
q.enqueueMany(Array.from({ length: 100 }, (_, c) => ({ kind: 'comic', payload: null, comicId: 'comic-' + c })))
const parents = Array.from({ length: 100 }, () => q.claim({ kinds: ['comic'] })!)
let t = performance.now()
parents.forEach((p, c) => q.enqueueMany(Array.from({ length: 100 }, (_, i) => ({ kind: 'panel', payload: { i }, key: `k-${c}-${i}`, parentId: p.id, comicId: 'comic-' + c, group: 'pod' }))))
console.log('enqueue 10k', (performance.now() - t).toFixed(0), 'ms')
for (const p of parents) q.complete(p, null)
const claimT: number[] = [], compT: number[] = []
t = performance.now()
for (let i = 0; i < 5000; i++) {
  if (i % 500 === 0) await new Promise((r) => setTimeout(r, 1))
  const a = performance.now(); const c = q.claim({ kinds: ['panel'] })!; const b = performance.now(); q.complete(c, { ok: 1 }); compT.push(performance.now() - b); claimT.push(b - a)
}
const el = performance.now() - t
const pct = (xs: number[], p: number) => xs.sort((x, y) => x - y)[Math.floor(xs.length * p)].toFixed(3)
console.log(`ckpt=${ckpt} pairs/s`, (5000 / el * 1000).toFixed(0), 'claim p50/p99', pct(claimT, .5), pct(claimT, .99), 'complete p50/p99', pct(compT, .5), pct(compT, .99))

await cp?.stop(); const w = db.pragma('wal_checkpoint(PASSIVE)'); console.log('final wal', w, 'autockpt', db.pragma('wal_autocheckpoint', { simple: true }))
