import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Clock } from '../../src/platform/clock.ts'
import type { Studio } from '../../src/studio/studio.ts'

// Real time, run `factor` times faster: leases, backoffs and provider job times keep their proportions,
// so a retry storm that would take minutes runs in a fraction of a second without anyone sleeping.
export class FastClock implements Clock {
  readonly factor: number
  private readonly origin = Date.now()

  constructor(factor = 50) {
    this.factor = factor
  }

  now(): number {
    return Math.round(this.origin + (Date.now() - this.origin) * this.factor)
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const t = setTimeout(fn, Math.max(0, ms / this.factor))
    t.unref?.()
    return t
  }

  clearTimeout(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout)
  }
}

// A clock `aheadMs` in the future: the process restarted after a crash sees the dead process's leases as expired.
export function clockAhead(aheadMs: number): Clock {
  return {
    now: () => Date.now() + aheadMs,
    setTimeout: (fn, ms) => {
      const t = setTimeout(fn, ms)
      t.unref?.()
      return t
    },
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  }
}

export function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name)
}

// Every table's rows, hashed: equal snapshots mean not one byte of the library changed.
export function librarySnapshot(studio: Studio): { counts: Record<string, number>; digest: string; images: number } {
  const db = studio.library.db
  const counts: Record<string, number> = {}
  const hash = createHash('sha256')
  for (const name of tableNames(db)) {
    const rows = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().all()
    counts[name] = rows.length
    hash.update(name).update(JSON.stringify(rows))
  }
  return { counts, digest: hash.digest('hex'), images: listFiles(studio.library.images.dir).length }
}

export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) out.push(...listFiles(path))
    else out.push(path)
  }
  return out
}

// The forms a key could take on disk or on the wire if something wrote it out.
export function secretForms(secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret).toString('base64').slice(0, 24), 'utf8'),
    Buffer.from(encodeURIComponent(secret), 'utf8'),
  ]
}

export function findSecrets(haystack: Buffer | string, secrets: readonly string[]): string[] {
  const buf = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack
  return secrets.filter((s) => secretForms(s).some((form) => buf.includes(form)))
}

export function readAll(path: string): Buffer {
  return readFileSync(path)
}
