import { seededRandom } from '../../src/platform/random.ts'
import { hashSeed } from '../../src/platform/random.ts'
import { SCENARIO } from './scenario.ts'

export interface Trace {
  rate: number
  seed: number
  // Arrival times in seconds from the start of the day, ascending.
  arrivals: number[]
  images: number
}

// Poisson arrivals over the day: exponential gaps at `rate` comics per day.
export function poissonTrace(rate: number, seed: number, hours: number = SCENARIO.dayHours, stream = 'arrivals'): Trace {
  const rand = seededRandom(hashSeed(`${stream}:${rate}:${seed}`))
  const end = hours * 3600
  const meanGap = 86_400 / rate
  const arrivals: number[] = []
  for (let t = -Math.log(1 - rand()) * meanGap; t < end; t += -Math.log(1 - rand()) * meanGap) arrivals.push(t)
  return { rate, seed, arrivals, images: SCENARIO.imagesPerComic }
}

// The day before, at the same rate from its own stream: a studio that is this busy every day finds it in its
// library when the day starts, and the day's trace stays unknown to it.
export function dayBefore(trace: Pick<Trace, 'rate' | 'seed'>): Trace {
  return poissonTrace(trace.rate, trace.seed, SCENARIO.dayHours, 'day-before')
}

// Independent, repeatable streams per provider, so every policy meets the same luck (boots, cold starts, preemptions).
export function streamFor(trace: Pick<Trace, 'rate' | 'seed'>, name: string): () => number {
  return seededRandom(hashSeed(`${name}:${trace.rate}:${trace.seed}`))
}
