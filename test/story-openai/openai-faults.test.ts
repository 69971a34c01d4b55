import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { KitsumyError, Script } from '../../src/contract/index.ts'
import { ManualClock } from '../../src/platform/clock.ts'
import { OpenAIStoryWriter, type OpenAIWriterOptions } from '../../src/story/openai-writer.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.ts'
import { API_KEY, InstantClock, brief, promptText, signal } from './helpers.ts'

// A one-page brief costs four requests: plot, characters, pages, dialogue. Faults hit the plot first.
const CALLS = 4

let fake: FakeOpenAI

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: API_KEY })
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

function writer(overrides: Partial<OpenAIWriterOptions> = {}): OpenAIStoryWriter {
  return new OpenAIStoryWriter({
    apiKey: API_KEY, model: 'gpt-4o-mini', baseURL: `${fake.url}/v1`, clock: new InstantClock(), backoffMs: 10, ...overrides,
  })
}

async function failure(promise: Promise<unknown>): Promise<KitsumyError> {
  const err = await promise.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(KitsumyError)
  return err as KitsumyError
}

function everythingAbout(err: KitsumyError): string {
  return JSON.stringify({ message: err.message, stack: err.stack, cause: String(err.cause), all: err })
}

describe('latency and timeouts', () => {
  it('waits out a slow server that answers within the timeout', async () => {
    fake.latencyMs = 40
    const script = await writer({ timeoutMs: 2_000 }).write(brief({ pages: 1 }), { signal: signal() })
    expect(Script.parse(script).pages).toHaveLength(1)
    expect(fake.requests).toHaveLength(CALLS)
  })

  it('gives up on an answer slower than the timeout with a timeout error', async () => {
    fake.faults.push({ kind: 'latency', ms: 400 })
    const err = await failure(writer({ timeoutMs: 100, maxAttempts: 1 }).write(brief({ pages: 1 }), { signal: signal() }))
    expect(err).toMatchObject({ code: 'timeout', retryable: true })
    expect(err.message).toContain('did not answer in time')
  })

  it('retries a request that hangs, then fails with timeout when it keeps hanging', async () => {
    fake.faults.push({ kind: 'timeout' }, { kind: 'timeout' })
    const err = await failure(writer({ timeoutMs: 80, maxAttempts: 2 }).write(brief({ pages: 1 }), { signal: signal() }))
    expect(err.code).toBe('timeout')
    expect(fake.requests).toHaveLength(2)
    await vi.waitFor(() => expect(fake.requests.every((r) => r.aborted)).toBe(true))
  })

  it('recovers when only the first request hangs', async () => {
    fake.faults.push({ kind: 'timeout' })
    const clock = new InstantClock()
    const script = await writer({ timeoutMs: 80, maxAttempts: 2, clock }).write(brief({ pages: 1 }), { signal: signal() })
    expect(script.pages).toHaveLength(1)
    expect(fake.requests).toHaveLength(CALLS + 1)
    expect(clock.waits).toEqual([10])
  })
})

describe('401', () => {
  it('fails at once with auth, telling the user to check the key and never showing it', async () => {
    const wrongKey = 'sk-proj-WRONGKEY-0123456789abcd'
    const err = await failure(writer({ apiKey: wrongKey }).write(brief({ pages: 1 }), { signal: signal() }))

    expect(err).toMatchObject({ code: 'auth', retryable: false })
    expect(err.message).toContain('check your OpenAI key')
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0].authorization).toBe(`Bearer ${wrongKey}`)
    const seen = everythingAbout(err)
    for (const secret of [wrongKey, wrongKey.slice(-4), 'sk-pr', API_KEY]) expect(seen).not.toContain(secret)
  })

  it('treats the fake-injected 401 the same way', async () => {
    fake.faults.push({ kind: 'unauthorized' })
    const err = await failure(writer().write(brief({ pages: 1 }), { signal: signal() }))
    expect(err.code).toBe('auth')
    expect(everythingAbout(err)).not.toContain(API_KEY.slice(-4))
  })
})

describe('429', () => {
  it('waits exactly what retry-after-ms asks on the injected clock, then retries', async () => {
    const clock = new ManualClock()
    fake.faults.push({ kind: 'rate_limit', retryAfterMs: 1_500 })
    const writing = writer({ clock }).write(brief({ pages: 1 }), { signal: signal() })

    await vi.waitFor(() => expect(clock.pending()).toBe(1))
    clock.advance(1_499)
    expect(clock.pending()).toBe(1)
    expect(fake.requests).toHaveLength(1)
    clock.advance(1)

    const script = await writing
    expect(script.pages).toHaveLength(1)
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200, 200, 200, 200])
  })

  it('reads retry-after in seconds', async () => {
    const clock = new InstantClock()
    fake.faults.push({ kind: 'rate_limit', retryAfterSeconds: 2 })
    await writer({ clock }).write(brief({ pages: 1 }), { signal: signal() })
    expect(clock.waits).toEqual([2_000])
  })

  it('fails with rate_limit and the wait when the limit outlasts the attempts', async () => {
    const clock = new InstantClock()
    fake.faults.push(...Array.from({ length: 3 }, () => ({ kind: 'rate_limit' as const, retryAfterMs: 700 })))
    const err = await failure(writer({ clock, maxAttempts: 3 }).write(brief({ pages: 1 }), { signal: signal() }))
    expect(err).toMatchObject({ code: 'rate_limit', retryable: true, retryAfterMs: 700 })
    expect(fake.requests).toHaveLength(3)
    expect(clock.waits).toEqual([700, 700])
  })

  it('hands a wait longer than it may sleep back to the caller instead of sleeping', async () => {
    const clock = new InstantClock()
    fake.faults.push({ kind: 'rate_limit', retryAfterSeconds: 120 })
    const err = await failure(writer({ clock, maxRetryWaitMs: 60_000 }).write(brief({ pages: 1 }), { signal: signal() }))
    expect(err).toMatchObject({ code: 'rate_limit', retryAfterMs: 120_000 })
    expect(fake.requests).toHaveLength(1)
    expect(clock.waits).toEqual([])
  })

  it('tells an empty account from a rate limit', async () => {
    fake.faults.push({ kind: 'rate_limit', code: 'insufficient_quota' })
    const err = await failure(writer().write(brief({ pages: 1 }), { signal: signal() }))
    expect(err).toMatchObject({ code: 'no_balance', retryable: false })
    expect(fake.requests).toHaveLength(1)
  })
})

describe('5xx', () => {
  it('retries a 500 with growing backoff on the clock', async () => {
    const clock = new InstantClock()
    fake.faults.push({ kind: 'server_error' }, { kind: 'server_error' })
    const script = await writer({ clock, backoffMs: 250 }).write(brief({ pages: 1 }), { signal: signal() })
    expect(script.pages).toHaveLength(1)
    expect(clock.waits).toEqual([250, 500])
    expect(fake.requests.map((r) => r.status).slice(0, 3)).toEqual([500, 500, 200])
  })

  it('fails with bad_response after the attempts when the server keeps failing', async () => {
    fake.faults.push(...Array.from({ length: 3 }, () => ({ kind: 'server_error' as const })))
    const err = await failure(writer({ maxAttempts: 3 }).write(brief({ pages: 1 }), { signal: signal() }))
    expect(err).toMatchObject({ code: 'bad_response', retryable: true })
    expect(err.message).toContain('500')
    expect(fake.requests).toHaveLength(3)
  })

  it('calls a lasting 503 a capacity problem', async () => {
    fake.faults.push(...Array.from({ length: 2 }, () => ({ kind: 'server_error' as const, status: 503 })))
    const err = await failure(writer({ maxAttempts: 2 }).write(brief({ pages: 1 }), { signal: signal() }))
    expect(err).toMatchObject({ code: 'capacity', retryable: true })
    expect(err.message).toContain('overloaded')
  })

  it('calls an unreachable server a capacity problem', async () => {
    const gone = await startFakeOpenAI()
    await gone.close()
    const err = await failure(writer({ baseURL: `${gone.url}/v1`, maxAttempts: 2 }).write(brief({ pages: 1 }), { signal: signal() }))
    expect(err).toMatchObject({ code: 'capacity', retryable: true })
    expect(err.message).toContain(new URL(gone.url).host)
  })
})

describe('malformed and truncated JSON', () => {
  it('re-asks once after prose, quoting the answer and saying what was wrong', async () => {
    fake.faults.push({ kind: 'malformed' })
    const script = await writer().write(brief({ pages: 1 }), { signal: signal() })
    expect(script.pages).toHaveLength(1)
    expect(fake.requests).toHaveLength(CALLS + 1)
    const reask = fake.requests[1].body!.messages
    expect(reask.at(-2)).toMatchObject({ role: 'assistant', content: expect.stringContaining('in prose') })
    expect(reask.at(-1)).toMatchObject({ role: 'user', content: expect.stringContaining('could not be used: no JSON object in the answer') })
  })

  it('fails with bad_response after the re-asks run out', async () => {
    fake.faults.push(...Array.from({ length: 3 }, () => ({ kind: 'malformed' as const })))
    const err = await failure(writer({ reasks: 2 }).write(brief({ pages: 1 }), { signal: signal() }))
    expect(err).toMatchObject({ code: 'bad_response' })
    expect(err.message).toBe('The story model gave an unusable answer for the plot step 3 times: no JSON object in the answer.')
    expect(fake.requests).toHaveLength(3)
  })

  it('repairs fenced JSON with a trailing comma without asking again', async () => {
    fake.faults.push({ kind: 'fenced' })
    await writer().write(brief({ pages: 1 }), { signal: signal() })
    expect(fake.requests).toHaveLength(CALLS)
  })

  it('re-asks with the schema problem when a field is missing', async () => {
    fake.faults.push({ kind: 'invalid' })
    await writer().write(brief({ pages: 1 }), { signal: signal() })
    expect(fake.requests).toHaveLength(CALLS + 1)
    expect(fake.requests[1].body!.messages.at(-1)?.content).toMatch(/does not match the schema \(title: /)
  })

  it('closes a document cut just before its end without asking again', async () => {
    fake.faults.push({ kind: 'truncated', dropChars: 2 })
    await writer().write(brief({ pages: 1 }), { signal: signal() })
    expect(fake.requests[0].fault).toBe('truncated')
    expect(fake.requests).toHaveLength(CALLS)
  })

  it('asks for a shorter answer when a cut document cannot be completed', async () => {
    fake.faults.push({ kind: 'truncated', keepFraction: 0.3 })
    await writer().write(brief({ pages: 1 }), { signal: signal() })
    expect(fake.requests).toHaveLength(CALLS + 1)
    const reask = fake.requests[1].body!.messages
    expect(reask.at(-1)?.content).toContain('cut off')
    expect(reask.some((m) => m.role === 'assistant')).toBe(false)
  })

  it('fails with bad_response when every answer is cut short', async () => {
    fake.faults.push(...Array.from({ length: 2 }, () => ({ kind: 'truncated' as const, keepFraction: 0.3 })))
    const err = await failure(writer({ reasks: 1 }).write(brief({ pages: 1 }), { signal: signal() }))
    expect(err.code).toBe('bad_response')
    expect(err.message).toContain('plot step 2 times')
  })

  it('re-asks when two characters share a key, which the schema cannot forbid', async () => {
    const look = { face: 'Round face.', hair: 'Short red hair.', build: 'Tall.', outfit: 'Yellow coat.', colors: ['yellow'] }
    const twins = { characters: [{ key: 'mira', name: 'Mira', role: 'hero', look }, { key: 'mira', name: 'Mara', role: 'twin', look }] }
    fake.faults.push({ kind: 'fenced' }, { kind: 'content', content: JSON.stringify(twins) })
    const script = await writer().write(brief({ pages: 1 }), { signal: signal() })
    expect(fake.requests.map((r) => r.schemaName).slice(0, 3)).toEqual(['kitsumy_plot', 'kitsumy_characters', 'kitsumy_characters'])
    expect(fake.requests[2].body!.messages.at(-1)?.content).toContain('character key "mira" is used twice')
    expect(new Set(script.characters.map((c) => c.key)).size).toBe(script.characters.length)
  })

  it('reports a refusal as a problem with the idea, not a retryable failure', async () => {
    fake.faults.push({ kind: 'refusal', message: "I can't write that story." })
    const err = await failure(writer().write(brief({ pages: 1 }), { signal: signal() }))
    expect(err).toMatchObject({ code: 'bad_input', retryable: false })
    expect(err.message).toContain("I can't write that story.")
  })
})

describe('cancellation', () => {
  it('aborts a request in flight and says cancelled', async () => {
    fake.faults.push({ kind: 'timeout' })
    const controller = new AbortController()
    const writing = writer({ timeoutMs: 30_000 }).write(brief({ pages: 1 }), { signal: controller.signal })
    await fake.waitForRequests(1)
    controller.abort()
    const err = await failure(writing)
    expect(err).toMatchObject({ code: 'cancelled' })
    await vi.waitFor(() => expect(fake.requests[0].aborted).toBe(true))
    expect(fake.requests).toHaveLength(1)
  })

  it('stops waiting out a rate limit when aborted', async () => {
    const clock = new ManualClock()
    fake.faults.push({ kind: 'rate_limit', retryAfterMs: 5_000 })
    const controller = new AbortController()
    const writing = writer({ clock }).write(brief({ pages: 1 }), { signal: controller.signal })
    await vi.waitFor(() => expect(clock.pending()).toBe(1))
    controller.abort()
    expect(await failure(writing)).toMatchObject({ code: 'cancelled' })
    expect(clock.pending()).toBe(0)
    expect(fake.requests).toHaveLength(1)
  })

  it('stops between steps', async () => {
    const controller = new AbortController()
    const writing = writer().write(brief({ pages: 1 }), {
      signal: controller.signal,
      onStep: (step, status) => { if (step === 'pages' && status === 'started') controller.abort() },
    })
    expect(await failure(writing)).toMatchObject({ code: 'cancelled' })
    expect(fake.requests.map((r) => r.schemaName)).toEqual(['kitsumy_plot', 'kitsumy_characters'])
  })

  it('sends nothing when already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    expect(await failure(writer().write(brief(), { signal: controller.signal }))).toMatchObject({ code: 'cancelled' })
    expect(fake.requests).toHaveLength(0)
  })
})

describe('the fake itself', () => {
  it('refuses a schema outside strict mode like OpenAI does', async () => {
    const response = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        response_format: { type: 'json_schema', json_schema: { name: 'x', strict: true, schema: { type: 'object', properties: { a: { type: 'string', maxLength: 3 } }, required: ['a'], additionalProperties: false } } },
      }),
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("'maxLength' is not permitted")
  })
})

describe('prompts', () => {
  it('carry the step task and the idea as user material', async () => {
    await writer().write(brief({ pages: 1, idea: 'A lighthouse keeper befriends a storm' }), { signal: signal() })
    expect(promptText(fake.requests[0])).toContain('<idea>\nA lighthouse keeper befriends a storm\n</idea>')
    expect(promptText(fake.requests[2])).toContain('break page 1 of 1 into panels')
  })
})
