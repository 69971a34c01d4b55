import type { ErrorCode } from './errors.ts'

// The error codes as plain data, and errors kept for later (a failed job, a panel that could not be drawn) stored
// as "code: message" so whoever shows them can word them by code in the reader's language. No zod here: the
// studio's first screen words stored errors before the contract's checks load.
export const ERROR_CODES = [
  'bad_input', 'unknown_command', 'unauthorized', 'not_found', 'conflict',
  'auth', 'rate_limit', 'capacity', 'timeout', 'bad_response', 'no_balance',
  'budget', 'cancelled', 'disk', 'lost', 'internal',
] as const

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES)

export function storedError(code: ErrorCode, message: string): string {
  return `${code}: ${message}`
}

export function parseStoredError(stored: string): { code: ErrorCode; message: string } {
  const at = stored.indexOf(': ')
  const code = at > 0 ? stored.slice(0, at) : ''
  return KNOWN.has(code) ? { code: code as ErrorCode, message: stored.slice(at + 2) } : { code: 'internal', message: stored }
}
