import { describe, expect, it } from 'vitest'
import { heardAt, simulateStudio } from '../../bench/sim/studio-sim.ts'
import type { StudioSimResult } from '../../bench/sim/studio-sim.ts'
import { onTimeBound, onTimeBoundFor } from '../../bench/sim/bound.ts'
import { FIXED_RULE, replay, SERVERLESS_ONLY } from '../../bench/sim/replay.ts'
import { summarize } from '../../bench/sim/metrics.ts'
import { poissonTrace } from '../../bench/sim/trace.ts'

// A few simulated hours at 100 comics/day through the full simulator: the real JobQueue and Worker, the
// studio's Dispatcher and router, the real PodManager (health checks over loopback HTTP), the real
// CostLedger, simulated providers.
const trace = poissonTrace(100, 2, 5)

function checkInvariants(r: StudioSimResult): void {
  expect(r.comics.length).toBe(trace.arrivals.length)
  expect(r.imagesLost).toBe(0)
  for (const c of r.comics) {
    expect(c.finishSeconds).not.toBeNull()
    expect(c.firstPanelSeconds!).toBeLessThanOrEqual(c.finishSeconds!)
  }
  // The ledger's total is the sum of its rows, and what the providers billed. The one gap allowed: a
  // preempted pod stops billing at its kill, while the pod manager bills it until it notices (≤ one 5 s
  // status poll, rounded up to whole seconds).
  expect(r.ledgerUsd).toBeCloseTo(r.ledgerRowsUsd, 9)
  expect(r.byProvider.reduce((a, p) => a + p.usd, 0)).toBeCloseTo(r.ledgerUsd, 9)
  const podSecond = 0.44 / 3600
  expect(r.ledgerUsd).toBeGreaterThanOrEqual(r.invoiceUsd - 1e-9)
  expect(r.ledgerUsd - r.invoiceUsd).toBeLessThanOrEqual(r.pods.preempted * 7 * podSecond + 1e-9)
}

describe('economics simulator', () => {
  it('relaxed, interruptible pods: preemptions cost no image, every comic finishes, the ledger adds up', async () => {
    const r = await simulateStudio({ trace, policy: 'kitsumy', level: 'relaxed', interruptible: true })
    checkInvariants(r)
    expect(r.pods.created).toBeGreaterThan(0)
    expect(r.pods.preempted).toBeGreaterThan(0)
    expect(r.pods.lostJobs).toBeGreaterThan(0)
    expect(r.byProvider.map((p) => p.provider).sort()).toEqual(['pod', 'serverless'])
    // Pods draw the bulk; serverless the first panel of each comic and what a lost pod left.
    const images = Object.fromEntries(r.byProvider.map((p) => [p.provider, p.images]))
    expect(images.pod).toBeGreaterThan(images.serverless)
  })

  it('urgent, and the fixed rule through the same dispatcher: the same invariants; the fixed rule costs what the replay says', async () => {
    checkInvariants(await simulateStudio({ trace, policy: 'kitsumy', level: 'urgent', interruptible: true }))
    const full = await simulateStudio({ trace, policy: 'fixed_rule', level: 'relaxed' })
    checkInvariants(full)
    const a = summarize([{ comics: full.comics, usd: full.invoiceUsd, imagesLost: full.imagesLost }])
    const b = summarize([replay(trace, FIXED_RULE)!])
    // The replay has no status polling or HTTP between pod and app: within 3 %.
    expect(Math.abs(a.usdPerComic - b.usdPerComic) / b.usdPerComic).toBeLessThan(0.03)
  })

  it('a studio as busy the day before rents its pods with the day\'s first comic; a new library waits until its own demand shows', async () => {
    const busy = poissonTrace(500, 3, 1)
    // Seconds from the day's first image to each pod the studio rents.
    const boots = async (firstDay: boolean) => {
      let first: number | null = null
      const at: number[] = []
      const r = await simulateStudio({
        trace: busy, policy: 'kitsumy', level: 'urgent', firstDay,
        onEvent: (e, now) => {
          if (e.type === 'route_decision') first ??= now
          if (e.type === 'pod_booting') at.push((now - first!) / 1000)
        },
      })
      expect(r.imagesLost).toBe(0)
      return at
    }
    const remembered = await boots(false)
    // Twelve hours of the day before at 500 comics a day: about 2.8 GPUs, so 2.8 + ½√2.8 → 4 pods at once.
    expect(remembered.filter((s) => s < 5)).toHaveLength(4)
    const fresh = await boots(true)
    // A new library measures over at least half an hour: a first comic alone is 80 images an hour.
    expect(fresh.length).toBeGreaterThan(0)
    expect(fresh[0]).toBeGreaterThan(5 * 60)
  })

  it('with no pod up, a comic\'s first panel waits behind no more images at the serverless endpoint than with serverless alone', async () => {
    // 100 comics a day never keep a pod busy, so urgent work rents none.
    const ours = await simulateStudio({ trace, policy: 'kitsumy', level: 'urgent' })
    const alone = await simulateStudio({ trace, policy: 'serverless', level: 'urgent' })
    expect(ours.pods.created).toBe(0)
    expect(ours.comics.map((c) => c.firstPanelSeconds)).toEqual(alone.comics.map((c) => c.firstPanelSeconds))
  })

  it('hears of a serverless job when the engine\'s poll would: on the beat until its pace is known, then as it ends', () => {
    const job = { sentAt: 0, startedAt: 30_000, endedAt: 42_400, pollMs: 1_500, briskMs: 250 }
    expect(heardAt({ ...job, runMs: 15_000 })).toBe(43_500)
    expect(heardAt({ ...job, runMs: 12_400 })).toBe(42_400)
    expect(heardAt({ ...job, runMs: 12_000 })).toBe(42_500)
  })

  it('the analytic replay the hindsight sweep uses matches the full simulator on a pod-free policy', async () => {
    const full = await simulateStudio({ trace, policy: 'serverless', level: 'urgent' })
    checkInvariants(full)
    const fast = replay(trace, SERVERLESS_ONLY)!
    const a = summarize([{ comics: full.comics, usd: full.invoiceUsd, imagesLost: full.imagesLost }])
    const b = summarize([fast])
    expect(b.usdPerComic).toBeCloseTo(a.usdPerComic, 9)
    expect(b.p95FirstPanel).toBeCloseTo(a.p95FirstPanel, 6)
    expect(b.p95Finish).toBeCloseTo(a.p95Finish, 6)
  })
})

describe('the bound for pods kept up all day', () => {
  it('keeps on the pods what still finishes in time and spills the rest, at the bare serverless price', () => {
    // One pod: the first comic keeps 300 / 12 = 25 images (the pod is busy until 300 s); the second, arriving
    // at 100 s, has 100 s left when the pod frees up: 8 images. 15 + 32 spilled; the pod is paid all day.
    const b = onTimeBoundFor({ arrivals: [0, 100], images: 40 }, 300, 1)
    expect(b.spilled).toBe(47)
    expect(b.usd).toBeCloseTo(24 * 0.44 + 47 * 12 * 0.00034, 9)
    expect(onTimeBound({ arrivals: [0, 100], images: 40 }, 300).pods).toBe(0)
  })

  it('no always-on configuration the replay runs that delivers every comic in time costs less', () => {
    const busy = poissonTrace(500, 1, 3)
    let compared = 0
    for (const alwaysOn of [2, 3, 4, 5]) {
      for (const spillSeconds of [0, 60, 120, 240]) {
        const r = replay(busy, { alwaysOn, trigger: null, idleSeconds: 0, spillSeconds, overflow: 'serverless' })!
        if (r.comics.some((c) => c.finishSeconds === null || c.finishSeconds > 300)) continue
        compared++
        expect(r.usd).toBeGreaterThanOrEqual(onTimeBoundFor(busy, 300, alwaysOn).usd)
      }
    }
    expect(compared).toBeGreaterThan(3)
  })
})
