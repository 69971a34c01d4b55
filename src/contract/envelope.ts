import { z } from 'zod'
import { ErrorCode, KitsumyError } from './errors.ts'

export const ApiError = z.object({ code: ErrorCode, message: z.string(), retryable: z.boolean() })
export type ApiError = z.infer<typeof ApiError>

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiError }

export function ok<T>(data: T): Envelope<T> {
  return { ok: true, data }
}

export function fail(code: ErrorCode, message: string, retryable = false): Envelope<never> {
  return { ok: false, error: { code, message, retryable } }
}

// Errors travel as data: Electron IPC keeps only an Error's message, and a stack must never reach the UI.
export function toApiError(err: unknown): ApiError {
  if (err instanceof KitsumyError) return { code: err.code, message: err.message, retryable: err.retryable }
  return { code: 'internal', message: 'Something went wrong inside the engine. Your work is saved.', retryable: false }
}
