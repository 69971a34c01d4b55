import type { Db } from './database.ts'

export type CacheKind = 'story' | 'image'

export interface KeyValueCache {
  get(key: string): string | null
  put(key: string, value: string): void
}

// Stored results of AI calls keyed by the hash of their request: story steps and images alike.
export class AiCache {
  private readonly getStmt
  private readonly putStmt
  private readonly now: () => number

  constructor(db: Db, now: () => number) {
    this.getStmt = db.prepare(`SELECT value FROM ai_cache WHERE key = ?`)
    this.putStmt = db.prepare(`INSERT OR IGNORE INTO ai_cache (key, kind, value, created_at) VALUES (?, ?, ?, ?)`)
    this.now = now
  }

  forKind(kind: CacheKind): KeyValueCache {
    return {
      get: (key) => (this.getStmt.get(`${kind}:${key}`) as { value: string } | undefined)?.value ?? null,
      put: (key, value) => void this.putStmt.run(`${kind}:${key}`, kind, value, this.now()),
    }
  }
}
