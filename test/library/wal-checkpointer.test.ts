import { expect, it } from 'vitest'
import { ManualClock } from '../../src/platform/clock.ts'
import { BACKSTOP_PAGES, WalCheckpointer } from '../../src/library/wal-checkpointer.ts'
import { openDb } from '../queue/helpers.ts'

it('checkpoints from its own thread on the clock, and gives the writer its threshold back on stop', async () => {
  const { db } = openDb()
  const clock = new ManualClock()
  const checkpointer = new WalCheckpointer(db, { clock, intervalMs: 1_000 })
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
  checkpointer.start()
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES)

  db.exec('CREATE TABLE t (v TEXT)')
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
  for (let i = 0; i < 200; i++) insert.run('x'.repeat(500))
  expect(checkpointer.lastResult).toBeNull()
  clock.advance(1_000)
  // The reply comes from a real thread (no clock to advance there): wait for it, bounded.
  for (let i = 0; i < 1_000 && checkpointer.lastResult === null; i++) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(checkpointer.lastResult!.log).toBeGreaterThan(100)
  expect(checkpointer.lastResult!.checkpointed).toBe(checkpointer.lastResult!.log)

  await checkpointer.stop()
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
  expect(clock.pending()).toBe(0)
  await expect(checkpointer.checkpoint()).rejects.toThrow(/not running/)
})
