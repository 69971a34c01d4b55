// Shared by the cloud fakes (RunPod, the ComfyUI worker, Replicate): loopback servers, real PNG bytes,
// and one log of finished generations so a test can prove no image was drawn twice.
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { crc32, deflateSync } from 'node:zlib'

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void

export interface Listening {
  server: Server
  url: string
  close(): Promise<void>
}

export async function listen(handler: Handler): Promise<Listening> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    Promise.resolve(handler(req, res, url)).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `fake crashed: ${err instanceof Error ? err.message : String(err)}` })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 1_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

// A fake provider on 127.0.0.1: start it, point the real client at `url`, close it after the test.
export abstract class FakeHttpServer {
  url = ''
  private listening: Listening | null = null

  async start(): Promise<this> {
    this.listening = await listen((req, res, url) => this.route(req, res, url))
    this.url = this.listening.url
    return this
  }

  close(): Promise<void> {
    return this.listening?.close() ?? Promise.resolve()
  }

  protected abstract route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

// RFC 9457, as RunPod REST v2 answers errors.
export function sendProblem(res: ServerResponse, status: number, title: string, detail: string, headers: Record<string, string> = {}): void {
  const text = JSON.stringify({ type: 'about:blank', title, status, detail })
  res.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

export function sendPng(res: ServerResponse, png: Buffer): void {
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length })
  res.end(png)
}

export function bearerOf(req: IncomingMessage): string | null {
  const h = req.headers.authorization
  return h?.startsWith('Bearer ') ? h.slice(7) : null
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

// A valid 4×4 RGB PNG carrying `label` in a tEXt chunk, so a test can tell which request an image answers.
export function tinyPng(label: string): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(4, 0)
  ihdr.writeUInt32BE(4, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const shade = crc32(Buffer.from(label)) & 0xff
  const rows: number[] = []
  for (let y = 0; y < 4; y++) {
    rows.push(0)
    for (let x = 0; x < 4; x++) rows.push(shade, (x * 60) & 0xff, (y * 60) & 0xff)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.concat([Buffer.from('kitsumy\0', 'latin1'), Buffer.from(label, 'latin1')])),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

export function pngLabel(bytes: Uint8Array): string | null {
  const buf = Buffer.from(bytes)
  let at = 8
  while (at + 8 <= buf.length) {
    const len = buf.readUInt32BE(at)
    const type = buf.toString('latin1', at + 4, at + 8)
    if (type === 'tEXt') {
      const data = buf.subarray(at + 8, at + 8 + len)
      const nul = data.indexOf(0)
      if (data.toString('latin1', 0, nul) === 'kitsumy') return data.toString('latin1', nul + 1)
    }
    at += 12 + len
  }
  return null
}

// The seed a ComfyUI graph samples with (KSampler.seed or RandomNoise.noise_seed).
export function seedOfWorkflow(workflow: unknown): number | null {
  if (!workflow || typeof workflow !== 'object') return null
  for (const node of Object.values(workflow as Record<string, unknown>)) {
    const inputs = (node as { inputs?: Record<string, unknown> } | null)?.inputs
    const seed = inputs?.seed ?? inputs?.noise_seed
    if (typeof seed === 'number') return seed
  }
  return null
}

export function isWorkflow(workflow: unknown): workflow is Record<string, { class_type: string }> {
  return !!workflow && typeof workflow === 'object' && Object.values(workflow as object).some((n) => typeof (n as { class_type?: unknown })?.class_type === 'string')
}

// Every generation any fake finished, in order.
export class GenerationLog {
  readonly done: Array<{ where: string; seed: number }> = []

  add(where: string, seed: number): void {
    this.done.push({ where, seed })
  }

  countBySeed(): Map<number, number> {
    const counts = new Map<number, number>()
    for (const d of this.done) counts.set(d.seed, (counts.get(d.seed) ?? 0) + 1)
    return counts
  }

  at(prefix: string): number {
    return this.done.filter((d) => d.where.startsWith(prefix)).length
  }
}
