import { z } from 'zod'

export const ErrorCode = z.enum([
  'bad_input', 'unknown_command', 'unauthorized', 'not_found', 'conflict',
  'auth', 'rate_limit', 'capacity', 'timeout', 'bad_response', 'no_balance',
  'budget', 'cancelled', 'disk', 'lost', 'internal',
])
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

// An error kept for later (a failed job, a panel that could not be drawn) is stored as "code: message", so whoever
// shows it can still word it by its code in the reader's language.
export function storedError(code: ErrorCode, message: string): string {
  return `${code}: ${message}`
}

export function parseStoredError(stored: string): { code: ErrorCode; message: string } {
  const at = stored.indexOf(': ')
  const code = ErrorCode.safeParse(at > 0 ? stored.slice(0, at) : '')
  return code.success ? { code: code.data, message: stored.slice(at + 2) } : { code: 'internal', message: stored }
}
