import type OpenAI from 'openai'
import type { z } from 'zod'
import { KitsumyError, type StoryStep } from '../contract/index.ts'
import type { Clock } from '../platform/clock.ts'
import { parseLenientJson } from './json-repair.ts'
import { cancelledError, classifyFailure, scrubSecrets } from './openai-errors.ts'
import { reaskMessage, type ChatMessage } from './openai-prompts.ts'
import { strictResponseFormat, type JsonSchemaFormat } from './openai-schemas.ts'
import { stepCacheKey, type StepCache } from './step-cache.ts'

export interface StoryUsage {
  step: StoryStep
  model: string
  promptTokens: number
  completionTokens: number
}

export interface StepRunnerOptions {
  client: OpenAI
  model: string
  host: string
  // Only to scrub it out of server text that ends up in an error message.
  apiKey: string
  clock: Clock
  timeoutMs: number
  maxAttempts: number
  reasks: number
  backoffMs: number
  maxRetryWaitMs: number
  temperature: number | null
  maxTokens: number | null
  cache: StepCache | null
  onUsage: ((usage: StoryUsage) => void) | null
}

export interface StepSpec<T> {
  step: StoryStep
  name: string
  schema: z.ZodType<T>
  messages: ChatMessage[]
  // Rules the schema cannot state (unique keys, every panel once); returns what to tell the model.
  check?: (value: T) => string | null
}

type Outcome<T> = { ok: true; value: T } | { ok: false; problem: string; truncated: boolean }

// The longest earlier answer quoted back to the model when asking it to fix its JSON.
const MAX_QUOTED_ANSWER = 4000

// One structured chat completion, made to succeed: cached, retried on transient failures with
// waits on the injected clock, repaired or re-asked when the JSON is unusable.
export class StepRunner {
  private readonly o: StepRunnerOptions

  constructor(options: StepRunnerOptions) {
    this.o = options
  }

  async run<T>(spec: StepSpec<T>, seed: number | null, signal: AbortSignal): Promise<T> {
    if (signal.aborted) throw cancelledError()
    const format = strictResponseFormat(spec.name, spec.schema)
    const key = stepCacheKey({
      model: this.o.model, messages: spec.messages, schema: format.json_schema, seed, temperature: this.o.temperature,
    })
    const cached = this.fromCache(spec, key)
    if (cached !== null) return cached

    let messages = spec.messages
    let problem = 'no answer'
    for (let ask = 0; ask <= this.o.reasks; ask++) {
      const answer = await this.complete(spec.step, messages, format, seed, signal)
      const outcome = interpret(spec, answer.content, answer.finishReason)
      if (outcome.ok) {
        this.o.cache?.put(key, JSON.stringify(outcome.value))
        return outcome.value
      }
      problem = outcome.problem
      const quoted: ChatMessage[] = outcome.truncated || !answer.content
        ? []
        : [{ role: 'assistant', content: answer.content.slice(0, MAX_QUOTED_ANSWER) }]
      messages = [...spec.messages, ...quoted, reaskMessage(outcome.problem, outcome.truncated)]
    }
    const tries = this.o.reasks + 1
    throw new KitsumyError('bad_response',
      `The story model gave an unusable answer for the ${spec.step} step ${tries} time${tries === 1 ? '' : 's'}: ${problem}.`)
  }

  private fromCache<T>(spec: StepSpec<T>, key: string): T | null {
    const stored = this.o.cache?.get(key)
    if (!stored) return null
    const parsed = parseLenientJson(stored)
    if (!parsed.ok) return null
    const valid = spec.schema.safeParse(parsed.value)
    if (!valid.success || spec.check?.(valid.data)) return null
    return valid.data
  }

  private async complete(
    step: StoryStep, messages: ChatMessage[], format: JsonSchemaFormat, seed: number | null, signal: AbortSignal,
  ): Promise<{ content: string | null; finishReason: string | null }> {
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw cancelledError()
      try {
        const completion = await this.o.client.chat.completions.create({
          model: this.o.model,
          messages,
          response_format: format,
          ...(seed === null ? {} : { seed }),
          ...(this.o.temperature === null ? {} : { temperature: this.o.temperature }),
          ...(this.o.maxTokens === null ? {} : { max_completion_tokens: this.o.maxTokens }),
        }, { signal, timeout: this.o.timeoutMs, maxRetries: 0 })
        this.o.onUsage?.({
          step,
          model: this.o.model,
          promptTokens: completion.usage?.prompt_tokens ?? 0,
          completionTokens: completion.usage?.completion_tokens ?? 0,
        })
        const choice = completion.choices?.[0]
        const refusal = choice?.message?.refusal
        if (refusal) {
          throw new KitsumyError('bad_input',
            `The story model declined to write this story: ${scrubSecrets(refusal, this.o.apiKey).slice(0, 300)}`)
        }
        return { content: choice?.message?.content ?? null, finishReason: choice?.finish_reason ?? null }
      } catch (err) {
        if (err instanceof KitsumyError) throw err
        const failure = classifyFailure(err, {
          model: this.o.model, host: this.o.host, apiKey: this.o.apiKey, now: this.o.clock.now(), aborted: signal.aborted,
        })
        if (!failure.retry || attempt >= this.o.maxAttempts) throw failure.error
        if (failure.waitMs !== null && failure.waitMs > this.o.maxRetryWaitMs) throw failure.error
        const backoff = Math.min(this.o.backoffMs * 2 ** (attempt - 1), this.o.maxRetryWaitMs)
        await wait(this.o.clock, failure.waitMs ?? backoff, signal)
      }
    }
  }
}

function interpret<T>(spec: StepSpec<T>, content: string | null, finishReason: string | null): Outcome<T> {
  const truncated = finishReason === 'length'
  if (!content) return { ok: false, problem: 'the answer was empty', truncated }
  const parsed = parseLenientJson(content)
  if (!parsed.ok) return { ok: false, problem: parsed.error, truncated }
  const valid = spec.schema.safeParse(parsed.value)
  if (!valid.success) return { ok: false, problem: describeIssues(valid.error), truncated }
  const problem = spec.check?.(valid.data) ?? null
  return problem === null ? { ok: true, value: valid.data } : { ok: false, problem, truncated }
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'document'}: ${issue.message}`)
  const more = error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : ''
  return `it does not match the schema (${shown.join('; ')}${more})`
}

function wait(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelledError())
      return
    }
    const onAbort = () => {
      clock.clearTimeout(handle)
      reject(cancelledError())
    }
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
