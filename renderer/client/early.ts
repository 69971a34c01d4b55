import { postCommand } from './request.ts'

// Requests sent by the boot module while the app's code still loads; the HTTP client hands each
// answer to the first identical call, so it is checked and handled exactly as a call of its own.
const early = new Map<string, Promise<Response>>()

const keyOf = (name: string, input: unknown): string => `${name} ${JSON.stringify(input ?? {})}`

export function sendEarly(baseUrl: string, token: string, name: string, input: unknown): void {
  const response = postCommand(fetch.bind(globalThis), baseUrl, token, name, input)
  // A failed early request is retried by the real call; it must not surface as an unhandled rejection.
  response.catch(() => {})
  early.set(keyOf(name, input), response)
}

export function takeEarly(name: string, input: unknown): Promise<Response> | undefined {
  const key = keyOf(name, input)
  const response = early.get(key)
  early.delete(key)
  return response
}

// Once the app has made its first calls, an unclaimed answer would only be stale.
export function forgetEarly(): void {
  early.clear()
}
