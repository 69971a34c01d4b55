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
    // Some tables have no rowid: rows are compared as a sorted set.
    const rows = (db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort()
    counts[name] = rows.length
    hash.update(name).update(rows.join('\n'))
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

export interface FaultProxy {
  url: string
  // The next this many matching responses are cut off mid-body: the full Content-Length is announced,
  // half the bytes are sent, then the connection drops.
  truncateNext: number
  truncated: number
  // Requests this says yes to are held unanswered until the proxy closes (a provider that went quiet).
  hold: ((method: string, path: string) => boolean) | null
  held: number
  close(): Promise<void>
}

// A loopback proxy in front of a fake, for faults that live below the service's protocol. Answers that
// name the fake's own address (download URLs) are rewritten to point back through the proxy.
export async function startFaultProxy(target: string, match: (path: string) => boolean = () => true): Promise<FaultProxy> {
  const { createServer } = await import('node:http')
  const { request } = await import('undici')
  const proxy: FaultProxy = { url: '', truncateNext: 0, truncated: 0, hold: null, held: 0, close: async () => undefined }
  const server = createServer((req, res) => {
    if (proxy.hold?.(req.method ?? 'GET', req.url ?? '/')) {
      proxy.held++
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const headers = { ...req.headers }
        delete headers.host
        delete headers.connection
        const upstream = await request(`${target}${req.url}`, {
          method: req.method as 'GET',
          headers: headers as Record<string, string>,
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        })
        let body = Buffer.from(await upstream.body.arrayBuffer())
        if (String(upstream.headers['content-type'] ?? '').includes('json')) body = Buffer.from(body.toString('utf8').split(target).join(proxy.url))
        const out: Record<string, string> = {}
        for (const [k, v] of Object.entries(upstream.headers)) if (typeof v === 'string' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v
        out['content-length'] = String(body.length)
        res.writeHead(upstream.statusCode, out)
        if (proxy.truncateNext > 0 && match(req.url ?? '/')) {
          proxy.truncateNext--
          proxy.truncated++
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy())
          return
        }
        res.end(body)
      })().catch(() => res.socket?.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  proxy.url = `http://127.0.0.1:${port}`
  proxy.close = () => new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
  return proxy
}

// Until no job of the comic is waiting or running: a job's charge is committed with its completion, just
// after the panel shows its picture. Polled, because a finished job emits no studio event of its own.
export async function queueIdle(studio: Studio, comicId: string, timeoutMs = 20_000): Promise<void> {
  const busy = studio.library.db.prepare("SELECT count(*) AS n FROM queue_jobs WHERE comic_id = ? AND state IN ('queued', 'delayed', 'active', 'waiting')")
  const deadline = Date.now() + timeoutMs
  while ((busy.get(comicId) as { n: number }).n > 0) {
    if (Date.now() > deadline) throw new Error(`jobs of ${comicId} still running after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
