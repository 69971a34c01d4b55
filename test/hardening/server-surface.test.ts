import { readFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { createDispatch } from '../../src/api/dispatch.ts'
import { startHttpServer, type HttpServerOptions, type RunningServer } from '../../src/api/http-server.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { fontsDir } from '../../src/pages/font-files.ts'
import { FONT_FACES } from '../../src/pages/fonts.ts'
import { makeStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'

let studio: Studio | null = null
let server: RunningServer | null = null
afterEach(async () => {
  await server?.close()
  await studio?.close()
  server = null
  studio = null
})

async function serve(extra: Partial<HttpServerOptions> = {}): Promise<RunningServer> {
  const home = tempDir('kitsumy-server-')
  const rendererDir = join(home, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(home, 'secret.txt'), 'outside the renderer')
  studio = makeStudio(join(home, 'library'))
  server = await startHttpServer({ dispatch: createDispatch(studio.handlers('http')), events: studio.events, images: studio.library.images, rendererDir, ...extra })
  return server
}

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: any }

async function send(path: string, opts: { method?: 'GET' | 'POST' | 'OPTIONS' | 'PUT'; token?: string | null; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const s = server!
  const token = opts.token === undefined ? s.token : opts.token
  const res = await request(`${s.url}${path}`, {
    method: opts.method ?? 'POST',
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...opts.headers },
    body: opts.body,
  })
  const text = await res.body.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON (a page or an image).
  }
  return { status: res.statusCode, headers: res.headers, body }
}

function expectEnvelope(reply: Reply, status: number, code: string): void {
  expect(reply.status).toBe(status)
  expect(reply.body).toMatchObject({ ok: false, error: { code, message: expect.any(String), retryable: expect.any(Boolean) } })
  expect(reply.body.error.message.length).toBeGreaterThan(10)
  expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.ts:\d+|node_modules|stack/)
}

function expectNoCors(reply: Reply): void {
  for (const name of Object.keys(reply.headers)) expect(name.toLowerCase()).not.toMatch(/^access-control-allow-/)
}

describe('kitsumy serve: the HTTP surface', () => {
  it('binds to 127.0.0.1 by default and is not reachable on other interfaces', async () => {
    const s = await serve()
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const addresses = s.server.addresses() as { address: string; port: number }[]
    expect(addresses.map((a) => a.address)).toEqual(['127.0.0.1'])
    const port = addresses[0].port
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: external.address, port })
        socket.once('connect', () => { socket.destroy(); resolve(false) })
        socket.once('error', () => resolve(true))
      })
      expect(refused, `reachable on ${external.address}`).toBe(true)
    }
    const cli = readFileSync('src/cli/main.ts', 'utf8')
    // `kitsumy serve` defaults its --host to loopback too.
    expect(cli).toMatch(/option\('--host <host>'[^\n]*, '127\.0\.0\.1'\)\n/)
  })

  it('requires the token on every API call, the event stream and every file, in constant time', async () => {
    const s = await serve()
    const image = studio!.library.images.put(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')
    for (const token of [null, '', 'wrong', s.token.slice(0, -1), `${s.token}x`, s.token.toUpperCase(), 'a'.repeat(10_000), `${s.token}=`]) {
      expectEnvelope(await send('/api/comics.list', { token, body: '{}' }), 401, 'unauthorized')
      expectEnvelope(await send(`/files/${image}`, { method: 'GET', token }), 401, 'unauthorized')
      expectEnvelope(await send('/api/events', { method: 'GET', token }), 401, 'unauthorized')
    }
    // A token in the wrong place does not count either.
    expectEnvelope(await send('/api/comics.list', { token: null, headers: { authorization: `Basic ${s.token}` }, body: '{}' }), 401, 'unauthorized')
    expectEnvelope(await send('/api/comics.list', { token: null, headers: { cookie: `other=${s.token}` }, body: '{}' }), 401, 'unauthorized')
    // The three places it does count.
    expect((await send('/api/comics.list', { body: '{}' })).status).toBe(200)
    expect((await send('/api/comics.list', { token: null, headers: { cookie: `kitsumy_token=${encodeURIComponent(s.token)}` }, body: '{}' })).status).toBe(200)
    expect((await send(`/api/comics.list?token=${s.token}`, { token: null, body: '{}' })).status).toBe(200)
    const file = await send(`/files/${image}`, { method: 'GET' })
    expect(file.status).toBe(200)
    expect(file.headers['content-security-policy']).toMatch(/default-src 'none'/)

    const source = readFileSync('src/api/http-server.ts', 'utf8')
    expect(source).toContain('timingSafeEqual(')
    expect(source).not.toMatch(/token\s*[!=]==|[!=]==\s*token\b/)
  })

  it('the event stream needs the token and carries events only to those who have it', async () => {
    const s = await serve()
    const res = await request(`${s.url}/api/events`, { headers: { authorization: `Bearer ${s.token}` } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/event-stream')
    const reader = res.body[Symbol.asyncIterator]()
    expect(String((await reader.next()).value)).toContain(': connected')
    studio!.events.emit({ type: 'comic_updated', comicId: 'c1', status: 'done' })
    expect(String((await reader.next()).value)).toContain('"comic_updated"')
    res.body.destroy()
  })

  it('survives event-stream clients that vanish mid-stream', async () => {
    const s = await serve()
    for (let i = 0; i < 5; i++) {
      const res = await request(`${s.url}/api/events`, { headers: { authorization: `Bearer ${s.token}` } })
      const reader = res.body[Symbol.asyncIterator]()
      await reader.next()
      res.body.destroy()
    }
    for (let i = 0; i < 200; i++) studio!.events.emit({ type: 'generation_progress', comicId: 'c1', current: i, total: 200 })
    await new Promise((r) => setTimeout(r, 20))
    for (let i = 0; i < 50; i++) studio!.events.emit({ type: 'generation_progress', comicId: 'c1', current: i, total: 50 })
    expect((await send('/api/app.info', { body: '{}' })).status).toBe(200)
  })

  it('refuses bodies over the size limit with a 413 envelope before the engine sees them', async () => {
    await serve({ bodyLimit: 64 * 1024 })
    const big = JSON.stringify({ query: 'x'.repeat(70 * 1024) })
    expectEnvelope(await send('/api/comics.list', { body: big }), 413, 'bad_input')
    expect((await send('/api/comics.list', { body: JSON.stringify({ query: 'fox' }) })).status).toBe(200)
    // The default limit is 2 MB.
    expect(readFileSync('src/api/http-server.ts', 'utf8')).toMatch(/bodyLimit \?\? 2 \* 1024 \* 1024/)
  })

  it('rate-limits each client with a 429 rate_limit envelope, and the limit passes', async () => {
    await serve({ requestsPerMinute: 5 })
    for (let i = 0; i < 5; i++) expect((await send('/api/app.info', { body: '{}' })).status).toBe(200)
    const limited = await send('/api/app.info', { body: '{}' })
    expectEnvelope(limited, 429, 'rate_limit')
    expect(limited.body.error.retryable).toBe(true)
    expect(limited.headers['retry-after']).toBeDefined()
    expectEnvelope(await send('/api/comics.list', { body: '{}' }), 429, 'rate_limit')
    // Without the token a client is turned away before any work is done (and is not served either way).
    expect((await send('/api/app.info', { token: null, body: '{}' })).status).toBe(401)
  })

  it('keeps CORS closed: no Access-Control-Allow headers, preflights and cross-origin calls refused', async () => {
    const s = await serve()
    const preflight = await send('/api/comics.create', {
      method: 'OPTIONS', token: null,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    })
    expect(preflight.status).toBeGreaterThanOrEqual(400)
    expectNoCors(preflight)
    for (const origin of ['https://evil.example', 'null', `http://localhost.evil.example:${new URL(s.url).port}`, 'http://127.0.0.1:1']) {
      const cross = await send('/api/comics.create', { headers: { origin }, body: JSON.stringify({ idea: 'cross-site comic', styleId: 'shonen', pages: 1 }) })
      expectEnvelope(cross, 403, 'unauthorized')
      expectNoCors(cross)
    }
    // A "simple" cross-site form post (no preflight in a browser) is refused the same way.
    const form = await send('/api/comics.create', { headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: '{"idea":"form post","styleId":"shonen","pages":1}' })
    expect(form.status).toBe(403)
    const same = await send('/api/comics.list', { headers: { origin: s.url }, body: '{}' })
    expect(same.status).toBe(200)
    expectNoCors(same)
    expect(studio!.library.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 10 }).total).toBe(0)
  })

  it('answers every mistake with a clear 4xx envelope', async () => {
    await serve()
    expectEnvelope(await send('/api/no.such.command', { body: '{}' }), 404, 'unknown_command')
    expectEnvelope(await send('/api/comics.get', { body: '{"comicId": ' }), 400, 'bad_input')
    expectEnvelope(await send('/api/comics.get', { body: '[1,2,3]' }), 400, 'bad_input')
    expectEnvelope(await send('/api/comics.get', { body: JSON.stringify({ comicId: '../../etc/passwd' }) }), 400, 'bad_input')
    expectEnvelope(await send('/api/comics.get', { body: JSON.stringify({ comicId: 'no-such-comic' }) }), 404, 'not_found')
    expectEnvelope(await send('/api/comics.list', { headers: { 'content-type': 'text/plain' }, body: 'hello' }), 400, 'bad_input')
    expectEnvelope(await send('/api/comics.list', { headers: { 'content-type': 'application/xml' }, body: '<a/>' }), 415, 'bad_input')
    expectEnvelope(await send(`/files/${'0'.repeat(64)}.png`, { method: 'GET' }), 404, 'not_found')
    expectEnvelope(await send('/files/..%2f..%2fetc%2fpasswd', { method: 'GET' }), 404, 'not_found')
    expectEnvelope(await send('/api/comics.list', { method: 'PUT', body: '{}' }), 404, 'not_found')
  })

  it('serves only the renderer folder, with a strict Content-Security-Policy on the page', async () => {
    const s = await serve()
    const page = await send(`/?token=${s.token}`, { method: 'GET', token: null })
    expect(page.status).toBe(200)
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toMatch(/default-src 'self'/)
    expect(csp).toMatch(/script-src 'self'(;|$)/)
    expect(csp).toMatch(/object-src 'none'/)
    expect(csp).toMatch(/frame-ancestors 'none'/)
    expect(csp).toMatch(/base-uri 'none'/)
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/)
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/)
    expect((await send('/assets/app.js', { method: 'GET', token: null })).body).toBe('console.log(1)')
    // The lettering fonts the page SVGs name, and nothing else of their folder.
    const font = await send(`/fonts/${FONT_FACES[0].file}`, { method: 'GET', token: null })
    expect(font.status).toBe(200)
    expect(font.headers['content-type']).toBe('font/ttf')
    expect(font.body).toBe(readFileSync(join(fontsDir(), FONT_FACES[0].file), 'utf8'))
    for (const path of ['/fonts/OFL-bangers.txt', '/fonts/..%2fREADME.md', '/fonts/x.ttf']) expectEnvelope(await send(path, { method: 'GET', token: null }), 404, 'not_found')
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const res = await send(path, { method: 'GET', token: null })
      expect(String(res.body), path).not.toContain('outside the renderer')
    }
  })
})
