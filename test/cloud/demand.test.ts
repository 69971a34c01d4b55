import { describe, expect, it } from 'vitest'
import { DemandMeter } from '../../src/cloud/demand.ts'
import { ManualClock } from '../../src/platform/clock.ts'

const MIN = 60_000

describe('demand meter', () => {
  it('a first comic alone is not a rush: the rate is over at least half an hour', () => {
    const clock = new ManualClock()
    const meter = new DemandMeter(clock)
    meter.record(40)
    clock.advance(MIN)
    expect(meter.perHour()).toBe(80)
  })

  it('before the twelve-hour window has passed, the rate is over the time watched, not as if the unwatched part were idle', () => {
    const clock = new ManualClock()
    const meter = new DemandMeter(clock)
    for (let i = 0; i < 12; i++) {
      meter.record(40)
      clock.advance(5 * MIN)
    }
    // 480 images in one hour.
    expect(meter.perHour()).toBeCloseTo(480, 9)
  })

  it('a busy hour fades out of the twelve-hour window', () => {
    const clock = new ManualClock()
    const meter = new DemandMeter(clock)
    clock.advance(13 * 60 * MIN)
    meter.record(1200)
    clock.advance(60 * MIN)
    expect(meter.perHour()).toBe(100)
    clock.advance(11 * 60 * MIN + 1)
    expect(meter.perHour()).toBe(0)
  })

  it('a studio reopened on its library remembers what it was asked for in the window before it started', () => {
    const clock = new ManualClock()
    clock.advance(24 * 60 * MIN)
    const start = clock.now()
    const meter = new DemandMeter(clock)
    meter.record(40)
    // Out of the window, 400 images over the two hours before the restart, and the live record again.
    const before = Array.from({ length: 400 }, (_, i) => start - 2 * 60 * MIN + i * 18_000)
    meter.remember([start - 13 * 60 * MIN, ...before.reverse(), start])
    // 440 images over the two hours watched, counting the earlier session.
    expect(meter.perHour()).toBeCloseTo(220, 9)
    // Twelve hours after the first of them, only the last three (asked for within a minute of the restart) and the
    // live record still count.
    clock.advance(12 * 60 * MIN - MIN)
    expect(meter.perHour()).toBeCloseTo(43 / 12, 9)
  })

  it('remembers a very busy library: more images than a function call takes arguments', () => {
    const clock = new ManualClock()
    clock.advance(24 * 60 * MIN)
    const start = clock.now()
    const meter = new DemandMeter(clock)
    // 300,000 images over the last ten hours (30,000 an hour).
    meter.remember(Array.from({ length: 300_000 }, (_, i) => start - 10 * 60 * MIN + i * 120))
    expect(meter.perHour()).toBeCloseTo(30_000, 6)
  })
})
