import { request } from 'undici'
import type { z } from 'zod'
import { KitsumyError } from '../contract/errors.ts'
import type { Clock } from '../platform/clock.ts'
import type { ImageMime } from './engine.ts'

// Shared HTTP plumbing for every cloud client: one place decides what a status or a socket error means.

export interface HttpCall {
  method?: 'GET' | 'POST' | 'DELETE' | 'PATCH'
  url: string
  headers?: Record<string, string>
  json?: unknown
  timeoutMs: number
  signal?: AbortSignal
  // Names the service in error messages ("RunPod serverless"), never the URL's credentials.
  service: string
  // Values scrubbed from any server text that reaches an error message (an echoing server must not leak a key).
  secrets?: readonly string[]
  maxBytes?: number
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024
const DOWNLOAD_ATTEMPTS = 3

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` }
}

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]')
  return out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]')
}

// Sends one request; transport failures become KitsumyError (cancelled / timeout / lost), statuses are returned as-is.
export async function send(call: HttpCall): Promise<HttpResponse> {
  if (call.signal?.aborted) throw new KitsumyError('cancelled', `${call.service}: cancelled`)
  const timeout = AbortSignal.timeout(call.timeoutMs)
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers }
  let body: string | undefined
  if (call.json !== undefined) {
    body = JSON.stringify(call.json)
    headers['content-type'] = 'application/json'
  }
  try {
    const res = await request(call.url, {
      method: call.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    })
    const limit = call.maxBytes ?? DEFAULT_MAX_BYTES
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length
      if (size > limit) {
        res.body.destroy()
        throw new KitsumyError('bad_response', `${call.service}: response larger than ${limit} bytes`)
      }
      chunks.push(chunk as Buffer)
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }
  } catch (err) {
    if (err instanceof KitsumyError) throw err
    if (call.signal?.aborted) throw new KitsumyError('cancelled', `${call.service}: cancelled`, { cause: err })
    const code = (err as { code?: string }).code ?? ''
    if (timeout.aborted || code.endsWith('_TIMEOUT')) {
      throw new KitsumyError('timeout', `${call.service}: no answer within ${call.timeoutMs} ms`, { cause: err })
    }
    throw new KitsumyError('lost', `${call.service}: connection failed (${code || (err as Error).name})`, { cause: err })
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name]
  return Array.isArray(v) ? v[0] : v
}

// Retry-After is either delta-seconds or an HTTP date.
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (!value) return null
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs)
}

export function retryAfterOf(res: HttpResponse, nowMs = Date.now()): number | null {
  return parseRetryAfter(header(res, 'retry-after'), nowMs)
}

// The server's own words (RFC 9457 detail, a JSON error field or the raw text), shortened and scrubbed.
export function detailOf(res: HttpResponse, secrets: readonly string[] = []): string {
  const text = res.body.toString('utf8')
  let detail = text
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    const pick = parsed.detail ?? parsed.error ?? parsed.message ?? parsed.title
    if (typeof pick === 'string') detail = pick
    else if (pick && typeof pick === 'object' && typeof (pick as { message?: unknown }).message === 'string') {
      detail = (pick as { message: string }).message
    }
  } catch {
    // not JSON: keep the text
  }
  return redact(detail.replace(/\s+/g, ' ').trim().slice(0, 200), secrets)
}

// The default meaning of an HTTP status; clients override the few statuses their API gives another meaning.
export function statusError(res: HttpResponse, call: Pick<HttpCall, 'service' | 'secrets'>, nowMs = Date.now()): KitsumyError {
  const detail = detailOf(res, call.secrets)
  const msg = `${call.service}: HTTP ${res.status}${detail ? ` — ${detail}` : ''}`
  const s = res.status
  if (s === 401) return new KitsumyError('auth', `${msg} (check the API key)`)
  if (s === 402) return new KitsumyError('no_balance', msg)
  if (s === 403) return new KitsumyError('auth', msg, { retryable: false })
  if (s === 404) return new KitsumyError('not_found', msg)
  if (s === 408) return new KitsumyError('timeout', msg)
  if (s === 409) return new KitsumyError('conflict', msg)
  if (s === 429) return new KitsumyError('rate_limit', msg, { retryAfterMs: retryAfterOf(res, nowMs) })
  if (s >= 500) return new KitsumyError('bad_response', msg)
  if (s >= 400) return new KitsumyError('bad_input', msg)
  return new KitsumyError('bad_response', `${call.service}: unexpected HTTP ${s}`)
}

export function parseJson<S extends z.ZodType>(res: HttpResponse, schema: S, service: string): z.infer<S> {
  let raw: unknown
  try {
    raw = JSON.parse(res.body.toString('utf8'))
  } catch (err) {
    throw new KitsumyError('bad_response', `${service}: response is not JSON`, { cause: err })
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new KitsumyError('bad_response', `${service}: unexpected response shape (${issue?.path.join('.') || 'root'}: ${issue?.message})`)
  }
  return parsed.data
}

// send + classify + parse for the common case where every non-2xx is an error.
export async function callJson<S extends z.ZodType>(call: HttpCall, schema: S, nowMs?: () => number): Promise<z.infer<S>> {
  const res = await send(call)
  if (res.status < 200 || res.status >= 300) throw statusError(res, call, nowMs?.())
  return parseJson(res, schema, call.service)
}

export function sniffMime(bytes: Uint8Array): ImageMime | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 12 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP') return 'image/webp'
  return null
}

export function imageFrom(bytes: Uint8Array, service: string): { bytes: Uint8Array; mime: ImageMime } {
  const mime = sniffMime(bytes)
  if (!mime) throw new KitsumyError('bad_response', `${service}: the result is not a PNG, JPEG or WebP image`)
  return { bytes, mime }
}

// Cloud results expire (RunPod 30 min / 1 min, Replicate 1 h): fetch them the moment they exist.
// No credentials go to a result URL: it is usually another host (a CDN or a bucket).
// The picture is paid for by now, so a connection dropped mid-download is tried again at once: redrawing it would pay twice.
export async function downloadImage(url: string, opts: { timeoutMs: number; signal?: AbortSignal; service: string; headers?: Record<string, string> }): Promise<{ bytes: Uint8Array; mime: ImageMime }> {
  let res: HttpResponse
  for (let attempt = 1; ; attempt++) {
    try {
      res = await send({ url, timeoutMs: opts.timeoutMs, signal: opts.signal, service: opts.service, headers: { accept: 'image/*', ...opts.headers } })
      break
    } catch (err) {
      if (attempt >= DOWNLOAD_ATTEMPTS || !(err instanceof KitsumyError) || err.code !== 'lost') throw err
    }
  }
  if (res.status === 404 || res.status === 410 || res.status === 403) {
    throw new KitsumyError('lost', `${opts.service}: the result expired before it was downloaded (HTTP ${res.status})`)
  }
  if (res.status < 200 || res.status >= 300) throw statusError(res, opts)
  return imageFrom(new Uint8Array(res.body), opts.service)
}

// Waits on the injected clock, so a poll loop runs in simulated time under test.
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new KitsumyError('cancelled', 'cancelled'))
      return
    }
    const onAbort = () => {
      clock.clearTimeout(handle)
      reject(new KitsumyError('cancelled', 'cancelled'))
    }
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** attempt)
}

// Retries what is safe to retry: a 429 (after its Retry-After) and, for idempotent calls, a 5xx or a dropped connection.
export async function withRetry<T>(
  fn: () => Promise<T>,
  opts: { clock: Clock; attempts: number; baseMs: number; maxMs: number; idempotent: boolean; signal?: AbortSignal },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (!(err instanceof KitsumyError) || attempt + 1 >= opts.attempts) throw err
      const transient = err.retryable && (err.code === 'rate_limit' || (opts.idempotent && (err.code === 'bad_response' || err.code === 'lost' || err.code === 'timeout')))
      if (!transient) throw err
      const wait = err.code === 'rate_limit' && err.retryAfterMs !== null ? err.retryAfterMs : backoffMs(attempt, opts.baseMs, opts.maxMs)
      await sleep(opts.clock, wait, opts.signal)
    }
  }
}
