import { SCENARIO } from './scenario.ts'
import type { Trace } from './trace.ts'

// What the hindsight sweep's best kind of configuration, pods kept up all day, could cost with a perfect
// spill: the least any policy of that kind pays to deliver every comic by its deadline. Everything else is in
// the policy's favour: the pods are one fluid server of `pods / 12 s` images per second, booted before the
// day starts, and a spilled image costs its 12 s on serverless, with no cold start, no idle tail and no
// worker limit.

export interface OnTimeBound {
  pods: number
  usd: number
  // Images that had to leave the pods for their comic to finish in time.
  spilled: number
}

// Keeping as many of each comic's images on the pods as still finish by its deadline is optimal: the pods are
// paid all day anyway, and an image kept can only push one later image of a later comic off them.
export function onTimeBoundFor(trace: Pick<Trace, 'arrivals' | 'images'>, deadlineSeconds: number, pods: number): OnTimeBound {
  const { pod, serverless, dayHours } = SCENARIO
  const rate = pods / pod.secondsPerImage
  let free = 0
  let spilled = 0
  for (const arrival of trace.arrivals) {
    const start = Math.max(arrival, free)
    const kept = pods === 0 ? 0 : Math.max(0, Math.min(trace.images, Math.floor((arrival + deadlineSeconds - start) * rate)))
    spilled += trace.images - kept
    if (kept > 0) free = start + kept / rate
  }
  const podSeconds = pods === 0 ? 0 : Math.max(dayHours * 3600, free)
  const usd = podSeconds * pods * (pod.usdPerHour / 3600) + spilled * serverless.secondsPerImage * serverless.usdPerSecond
  return { pods, usd, spilled }
}

// The cheapest fleet size (0 to the scenario's maximum) for this trace.
export function onTimeBound(trace: Pick<Trace, 'arrivals' | 'images'>, deadlineSeconds: number): OnTimeBound {
  let best: OnTimeBound | null = null
  for (let pods = 0; pods <= SCENARIO.pod.maxPods; pods++) {
    const b = onTimeBoundFor(trace, deadlineSeconds, pods)
    if (!best || b.usd < best.usd) best = b
  }
  return best!
}
