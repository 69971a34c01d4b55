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
export function poissonTrace(rate: number, seed: number, hours: number = SCENARIO.dayHours): Trace {
  const rand = seededRandom(hashSeed(`arrivals:${rate}:${seed}`))
  const end = hours * 3600
  const meanGap = 86_400 / rate
  const arrivals: number[] = []
  for (let t = -Math.log(1 - rand()) * meanGap; t < end; t += -Math.log(1 - rand()) * meanGap) arrivals.push(t)
  return { rate, seed, arrivals, images: SCENARIO.imagesPerComic }
}

// Independent, repeatable streams per provider, so every policy meets the same luck (boots, cold starts, preemptions).
export function streamFor(trace: Pick<Trace, 'rate' | 'seed'>, name: string): () => number {
  return seededRandom(hashSeed(`${name}:${trace.rate}:${trace.seed}`))
}
