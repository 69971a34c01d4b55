import { z } from 'zod'
import { ERROR_CODES } from './stored-error.ts'

export const ErrorCode = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof ErrorCode>

const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['rate_limit', 'capacity', 'timeout', 'bad_response', 'lost', 'disk'])

// The one error type the engine throws on purpose; anything else is reported as 'internal'.
export interface FailedAttemptBill {
  provider: string
  seconds: number
  usd: number
}

export class KitsumyError extends Error {
  readonly code: ErrorCode
  readonly retryable: boolean
  readonly retryAfterMs: number | null
  // A provider that bills attempts (RunPod serverless bills a failed job's seconds) charged this one.
  readonly billed: FailedAttemptBill | null

  constructor(code: ErrorCode, message: string, opts: { retryable?: boolean; retryAfterMs?: number | null; cause?: unknown; billed?: FailedAttemptBill | null } = {}) {
    super(message, { cause: opts.cause })
    this.name = 'KitsumyError'
    this.code = code
    this.retryable = opts.retryable ?? RETRYABLE.has(code)
    this.retryAfterMs = opts.retryAfterMs ?? null
    this.billed = opts.billed ?? null
  }
}
