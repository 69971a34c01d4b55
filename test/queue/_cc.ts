import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { systemClock } from '../../src/platform/clock.ts'
import { JobQueue } from '../../src/queue/job-queue.ts'
import { migrate, QUEUE_PRAGMAS } from '../../src/queue/schema.ts'
rmSync('/tmp/cc.db', { force: true }); rmSync('/tmp/cc.db-wal', { force: true })
const db = new Database('/tmp/cc.db'); for (const p of QUEUE_PRAGMAS) db.pragma(p); migrate(db)
db.pragma('wal_autocheckpoint = ' + (process.argv[2] ?? '1000'))
const q = new JobQueue(db, { clock: systemClock })
const parent = q.enqueue({ kind: 'comic', payload: null, comicId: 'c' }); const pc = q.claim({ kinds: ['comic'] })!
for (let b = 0; b < 100; b++) q.enqueueMany(Array.from({ length: 100 }, (_, i) => ({ kind: 'panel', payload: { i }, key: `k${b}-${i}`.padEnd(64, '0'), parentId: parent, comicId: 'c', group: 'pod' })))
q.complete(pc, null)
for (let i = 0; i < 1000; i++) q.complete(q.claim({ kinds: ['panel'] })!, { ok: 1 })
const c0 = process.cpuUsage(); const t = performance.now()
let claimUs = 0
for (let i = 0; i < 5000; i++) { const a = performance.now(); const c = q.claim({ kinds: ['panel'] })!; claimUs += performance.now() - a; q.complete(c, { ok: 1 }) }
const c = process.cpuUsage(c0); const w = performance.now() - t
console.log(`ckpt=${process.argv[2]} pairs/s ${(5000 / w * 1000).toFixed(0)} wall us/pair ${(w * 1000 / 5000).toFixed(0)} claim wall us ${(claimUs * 1000 / 5000).toFixed(0)} cpu user ${(c.user / 5000).toFixed(0)} sys ${(c.system / 5000).toFixed(0)}`)
