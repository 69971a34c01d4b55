import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KitsumyError } from '../../src/contract/errors.ts'
import { seededRandom } from '../../src/platform/random.ts'
import { backoffDelay, decideRetry } from '../../src/queue/retry-policy.ts'

const backoff = { baseMs: 1_000, maxMs: 30_000 }

describe('decideRetry', () => {
  it('fails at once on errors marked not retryable', () => {
    for (const code of ['auth', 'bad_input', 'no_balance', 'budget'] as const) {
      expect(decideRetry(new KitsumyError(code, 'no'), 1, 5, backoff, seededRandom(1))).toEqual({ action: 'fail', code, message: 'no' })
    }
  })

  it('retries retryable and unknown errors until attempts run out', () => {
    const r = seededRandom(1)
    expect(decideRetry(new KitsumyError('capacity', 'busy'), 1, 3, backoff, r)).toMatchObject({ action: 'retry', code: 'capacity', consumesAttempt: true })
    expect(decideRetry(new TypeError('oops'), 2, 3, backoff, r)).toMatchObject({ action: 'retry', code: 'internal', message: 'oops' })
    expect(decideRetry('a string', 3, 3, backoff, r)).toEqual({ action: 'fail', code: 'internal', message: 'a string' })
  })

  it('honours retry-after on a 429 without counting it, even on the last attempt', () => {
    const err = new KitsumyError('rate_limit', 'slow down', { retryAfterMs: 12_000 })
    expect(decideRetry(err, 3, 3, backoff, seededRandom(1))).toEqual({ action: 'retry', code: 'rate_limit', message: 'slow down', delayMs: 12_000, consumesAttempt: false })
    const bare = new KitsumyError('rate_limit', 'slow down')
    expect(decideRetry(bare, 1, 3, backoff, seededRandom(1))).toMatchObject({ action: 'retry', consumesAttempt: true })
  })
})

describe('backoffDelay', () => {
  it('doubles per attempt with jitter in [step/2, step], capped at maxMs', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer(), (attempt, seed) => {
      const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1))
      const delay = backoffDelay(attempt, backoff, seededRandom(seed))
      return delay >= Math.floor(step / 2) && delay <= step
    }))
  })

  it('is the same for the same seed', () => {
    const a = seededRandom(9)
    const b = seededRandom(9)
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, backoff, a))).toEqual([1, 2, 3, 4].map((n) => backoffDelay(n, backoff, b)))
  })
})
