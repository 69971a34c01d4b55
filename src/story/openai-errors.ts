import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import { KitsumyError } from '../contract/index.ts'

export interface Failure {
  error: KitsumyError
  // Worth another attempt inside this call; the queue may still retry a failure that is not.
  retry: boolean
  // How long the server asked us to wait, when it said.
  waitMs: number | null
}

export interface FailureContext {
  model: string
  host: string
  apiKey: string
  now: number
  aborted: boolean
}

const MAX_SERVER_TEXT = 300

export function cancelledError(): KitsumyError {
  return new KitsumyError('cancelled', 'Story writing was cancelled.')
}

// Turns whatever the SDK threw into the engine's error vocabulary. Server text is quoted only after
// the key is scrubbed out of it (OpenAI's own 401 message echoes part of the key).
export function classifyFailure(err: unknown, ctx: FailureContext): Failure {
  if (ctx.aborted || err instanceof APIUserAbortError) {
    return { error: cancelledError(), retry: false, waitMs: null }
  }
  if (err instanceof APIConnectionTimeoutError) {
    return fail('timeout', `The story server at ${ctx.host} did not answer in time.`, true)
  }
  if (err instanceof APIConnectionError) {
    return fail('capacity', `Could not reach the story server at ${ctx.host}.`, true)
  }
  if (!(err instanceof APIError) || err.status === undefined) {
    return fail('bad_response', `The story server at ${ctx.host} sent an answer that is not a chat completion.`, true)
  }

  const status = err.status
  const said = serverText(err, ctx.apiKey)
  if (status === 401) {
    return fail('auth', `The story server rejected the API key (401): check your OpenAI key in Settings.`, false)
  }
  if (status === 403) {
    return fail('auth', `The story server refused this request (403): check your OpenAI key and its project's access to "${ctx.model}".`, false)
  }
  if (status === 404) {
    return fail('bad_input', `The story server does not know the model "${ctx.model}" (404): check the model and base URL in Settings.`, false)
  }
  if (status === 429 && err.code === 'insufficient_quota') {
    return fail('no_balance', 'Your OpenAI account has no credit left (429 insufficient_quota): add credit or change the key.', false)
  }
  if (status === 429) {
    const waitMs = retryAfterMs(err.headers, ctx.now)
    return {
      error: new KitsumyError('rate_limit', `The story server is rate limiting requests (429)${said}.`, { retryAfterMs: waitMs }),
      retry: true,
      waitMs,
    }
  }
  if (status === 408) return fail('timeout', `The story server timed out (408)${said}.`, true)
  if (status === 503 || status === 529) return fail('capacity', `The story server is overloaded (${status})${said}.`, true)
  if (status >= 500) return fail('bad_response', `The story server failed (${status})${said}.`, true)
  if (status === 400 || status === 422) return fail('bad_input', `The story server refused the request (${status})${said}.`, false)
  return fail('bad_response', `The story server answered ${status}${said}.`, false)
}

function fail(code: KitsumyError['code'], message: string, retry: boolean): Failure {
  return { error: new KitsumyError(code, message), retry, waitMs: null }
}

function serverText(err: APIError, apiKey: string): string {
  const body = err.error as { message?: unknown } | undefined
  const text = typeof body?.message === 'string' ? body.message : ''
  const clean = scrubSecrets(text, apiKey).trim()
  return clean ? `: ${clean.slice(0, MAX_SERVER_TEXT)}` : ''
}

export function scrubSecrets(text: string, apiKey: string): string {
  let out = apiKey.length >= 4 ? text.split(apiKey).join('[key]') : text
  out = out.replace(/\b(sk|rk)-[A-Za-z0-9_*-]{4,}/g, '[key]')
  return out
}

// retry-after-ms (OpenAI's own) wins over the standard retry-after, which is seconds or an HTTP date.
export function retryAfterMs(headers: Headers | undefined, now: number): number | null {
  const ms = headers?.get('retry-after-ms')
  if (ms) {
    const value = Number.parseFloat(ms)
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value)
  }
  const after = headers?.get('retry-after')
  if (!after) return null
  const seconds = Number.parseFloat(after)
  if (Number.isFinite(seconds) && /^\s*[\d.]+\s*$/.test(after)) return Math.max(0, Math.ceil(seconds * 1000))
  const date = Date.parse(after)
  return Number.isFinite(date) ? Math.max(0, date - now) : null
}
