import { createHash } from 'node:crypto'

// Stores one story step's validated answer under the hash of the request that produced it, so the
// same request (a retried job, a re-run after a crash) costs nothing the second time.
export interface StepCache {
  get(key: string): string | null
  put(key: string, value: string): void
}

// Everything that shapes the model's answer is in the key; the API key and timeouts are not.
export interface StepRequestIdentity {
  model: string
  messages: readonly { role: string; content: string }[]
  schema: unknown
  seed: number | null
  temperature: number | null
}

export function stepCacheKey(identity: StepRequestIdentity): string {
  return createHash('sha256').update(canonicalJson(identity)).digest('hex')
}

// Key order must not change the hash: the same schema built twice may list properties differently.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

// For the CLI without a library file and for tests; the studio backs the cache with SQLite.
export class MemoryStepCache implements StepCache {
  private readonly entries = new Map<string, string>()

  get(key: string): string | null {
    return this.entries.get(key) ?? null
  }

  put(key: string, value: string): void {
    this.entries.set(key, value)
  }

  get size(): number {
    return this.entries.size
  }
}
