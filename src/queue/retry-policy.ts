import { KitsumyError } from '../contract/errors.ts'
import type { ErrorCode } from '../contract/errors.ts'
import type { Random } from '../platform/random.ts'

export interface Backoff {
  baseMs: number
  maxMs: number
}

export type RetryDecision =
  | { action: 'fail'; code: ErrorCode; message: string }
  | { action: 'retry'; code: ErrorCode; message: string; delayMs: number; consumesAttempt: boolean }

// attempts counts the run that just failed. Unknown errors are retried: a crash in a handler is
// more often a passing condition (disk, network) than a permanent one, and maxAttempts bounds it.
export function decideRetry(error: unknown, attempts: number, maxAttempts: number, backoff: Backoff, random: Random): RetryDecision {
  const known = error instanceof KitsumyError ? error : null
  const code: ErrorCode = known?.code ?? 'internal'
  const message = error instanceof Error ? error.message : String(error)
  // A provider that says "come back in N s" is not a failure of the job, so it keeps its attempts.
  if (known?.code === 'rate_limit' && known.retryAfterMs !== null) {
    return { action: 'retry', code, message, delayMs: known.retryAfterMs, consumesAttempt: false }
  }
  if (known && !known.retryable) return { action: 'fail', code, message }
  if (attempts >= maxAttempts) return { action: 'fail', code, message }
  return { action: 'retry', code, message, delayMs: backoffDelay(attempts, backoff, random), consumesAttempt: true }
}

// Exponential with "equal jitter": never less than half the step, so retries of a burst spread out
// without ever hammering a provider right away.
export function backoffDelay(attempts: number, backoff: Backoff, random: Random): number {
  const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1))
  return Math.round(step / 2 + (step / 2) * random())
}
