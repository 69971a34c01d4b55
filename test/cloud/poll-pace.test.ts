import { describe, expect, it } from 'vitest'
import { briskWindow, nextPollMs, RunPace } from '../../src/art/poll-pace.ts'

describe('polling a serverless job around its expected end', () => {
  const plan = { pollMs: 1_500, briskMs: 250, ...briskWindow(12_000) }

  it('keeps the usual beat while the end is unknown or far, asks briskly from a tenth of a run early to a quarter late', () => {
    expect(plan).toMatchObject({ earlyMs: 1_200, graceMs: 3_000 })
    expect(nextPollMs({ ...plan, now: 0, expectedEnd: null })).toBe(1_500)
    expect(nextPollMs({ ...plan, now: 0, expectedEnd: 12_000 })).toBe(1_500)
    expect(nextPollMs({ ...plan, now: 10_000, expectedEnd: 12_000 })).toBe(800)
    expect(nextPollMs({ ...plan, now: 10_800, expectedEnd: 12_000 })).toBe(250)
    // One ask falls on the expected end itself.
    expect(nextPollMs({ ...plan, now: 11_800, expectedEnd: 12_000 })).toBe(200)
    expect(nextPollMs({ ...plan, now: 12_000, expectedEnd: 12_000 })).toBe(250)
    expect(nextPollMs({ ...plan, now: 14_999, expectedEnd: 12_000 })).toBe(250)
    expect(nextPollMs({ ...plan, now: 15_000, expectedEnd: 12_000 })).toBe(1_500)
    // A brisk beat set slower than the usual one is never slower than it.
    expect(nextPollMs({ ...plan, briskMs: 5_000, now: 12_000, expectedEnd: 12_000 })).toBe(1_500)
  })

  it('learns the time per image from finished jobs, and ignores a job that reported none', () => {
    const pace = new RunPace(12_000)
    pace.observe(20_000)
    expect(pace.expectedMs).toBe(14_000)
    pace.observe(undefined)
    pace.observe(0)
    expect(pace.expectedMs).toBe(14_000)
    for (let i = 0; i < 30; i++) pace.observe(10_000)
    expect(pace.expectedMs).toBeCloseTo(10_000, -1)
  })
})
