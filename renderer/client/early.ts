// The page's own file of the contract: its index would bring the contract's zod schemas along.
import { FIRST_ANSWERS_ID } from '../../src/contract/page.ts'
import { firstCalls } from './firstCalls.ts'
import { postCommand } from './request.ts'
import type { Route } from '../state/hash.ts'

// Answers to the first screen's calls taken before the app's code has loaded: embedded in the page by
// `kitsumy serve` (an envelope at hand), or asked for by main.tsx (a response on its way). The HTTP
// client hands each to the first identical call, so it is checked and handled exactly as a call of its own.
export type EarlyAnswer = { envelope: unknown } | { response: Promise<Response> }

const early = new Map<string, EarlyAnswer>()

const keyOf = (name: string, input: unknown): string => `${name} ${JSON.stringify(input ?? {})}`

// [name, input, envelope] for each call the server answered while sending the page.
function embeddedAnswers(doc: Document): [string, unknown, unknown][] {
  const text = doc.getElementById(FIRST_ANSWERS_ID)?.textContent
  if (!text) return []
  try {
    const answers: unknown = JSON.parse(text)
    return Array.isArray(answers) ? answers.filter((a): a is [string, unknown, unknown] => Array.isArray(a) && a.length === 3 && typeof a[0] === 'string') : []
  } catch {
    return []
  }
}

export function takeFirstAnswers(win: Window, baseUrl: string, token: string, route: Route): void {
  for (const [name, input, envelope] of embeddedAnswers(win.document)) early.set(keyOf(name, input), { envelope })
  for (const [name, input] of firstCalls(route)) {
    const key = keyOf(name, input)
    if (early.has(key)) continue
    const response = postCommand(fetch.bind(globalThis), baseUrl, token, name, input)
    // A failed early request is retried by the real call; it must not surface as an unhandled rejection.
    response.catch(() => {})
    early.set(key, { response })
  }
}

export function takeEarly(name: string, input: unknown): EarlyAnswer | undefined {
  const key = keyOf(name, input)
  const response = early.get(key)
  early.delete(key)
  return response
}

// Once the app has made its first calls, an unclaimed answer would only be stale.
export function forgetEarly(): void {
  early.clear()
}
