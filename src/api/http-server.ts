import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import type { ApiError, ErrorCode, Envelope } from '../contract/index.ts'
import type { Dispatch } from './dispatch.ts'
import { withFirstAnswers } from './first-answers.ts'
import type { EventBus } from '../studio/event-bus.ts'
import type { ImageStore } from '../library/image-store.ts'
import { shippedFontFile } from '../pages/font-files.ts'
import { FONT_PATH } from '../pages/font-links.ts'
import { IMAGE_CSP, MIME_TYPES, STUDIO_CSP } from './web-policy.ts'

export interface HttpServerOptions {
  dispatch: Dispatch
  events: EventBus
  images: ImageStore
  rendererDir: string
  host?: string
  port?: number
  token?: string
  bodyLimit?: number
  requestsPerMinute?: number
}

export interface RunningServer {
  url: string
  openUrl: string
  token: string
  server: FastifyInstance
  close(): Promise<void>
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  bad_input: 400, unknown_command: 404, not_found: 404, unauthorized: 401, conflict: 409, internal: 500,
}

const COOKIE = 'kitsumy_token'

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

function envelopeError(code: ErrorCode, message: string, retryable = false): Envelope<never> {
  const error: ApiError = { code, message, retryable }
  return { ok: false, error }
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return decodeURIComponent(v.join('='))
  }
  return null
}

// `kitsumy serve`: the same contract as Electron IPC, over HTTP on loopback, behind a per-run token.
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const expected = digest(token)
  const tokenMatches = (candidate: string | null): boolean => candidate !== null && timingSafeEqual(digest(candidate), expected)

  const server = Fastify({ bodyLimit: opts.bodyLimit ?? 2 * 1024 * 1024, logger: false, forceCloseConnections: true })
  await server.register(rateLimit, {
    max: opts.requestsPerMinute ?? 1200,
    timeWindow: '1 minute',
    errorResponseBuilder: () => ({ statusCode: 429, ...envelopeError('rate_limit', 'Too many requests; slow down and retry in a minute.') }),
  })

  const authorized = (req: FastifyRequest): boolean => {
    const header = req.headers.authorization
    const bearer = header?.startsWith('Bearer ') ? header.slice(7) : null
    const query = (req.query as Record<string, unknown> | undefined)?.token
    return tokenMatches(bearer) || tokenMatches(readCookie(req.headers.cookie, COOKIE)) || tokenMatches(typeof query === 'string' ? query : null)
  }

  server.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]
    if (!path.startsWith('/api/') && !path.startsWith('/files/')) return
    // Browsers send Origin on cross-site requests; only our own page may call the API.
    const origin = req.headers.origin
    if (origin && origin !== `http://${req.headers.host}`) {
      return reply.code(403).send(envelopeError('unauthorized', 'Requests from other sites are refused.'))
    }
    if (!authorized(req)) return reply.code(401).send(envelopeError('unauthorized', 'Missing or wrong access token: open the URL that `kitsumy serve` printed.'))
  })

  server.setErrorHandler((err: { statusCode?: number; code?: string }, _req, reply) => {
    if (err.statusCode === 413) return reply.code(413).send(envelopeError('bad_input', 'The request is too large.'))
    // @fastify/rate-limit throws what errorResponseBuilder built, so its 429 arrives here.
    if (err.statusCode === 429) return reply.code(429).send(envelopeError('rate_limit', 'Too many requests; slow down and retry in a minute.', true))
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(envelopeError('bad_input', 'The request body must be JSON.'))
    }
    return reply.code(500).send(envelopeError('internal', 'Something went wrong inside the server. Your work is saved.'))
  })

  server.setNotFoundHandler((_req, reply) => reply.code(404).send(envelopeError('not_found', 'There is no such address: the API takes POST /api/<command>.')))

  server.post('/api/:command', async (req: FastifyRequest<{ Params: { command: string } }>, reply: FastifyReply) => {
    const result = await opts.dispatch(req.params.command, req.body ?? {})
    return reply.code(result.ok ? 200 : (STATUS[result.error.code] ?? 200)).send(result)
  })

  server.get('/api/events', (req, reply) => {
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
    res.write(': connected\n\n')
    const off = opts.events.on((event) => res.write(`data: ${JSON.stringify(event)}\n\n`))
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000)
    req.raw.on('close', () => {
      clearInterval(heartbeat)
      off()
    })
  })

  server.get('/files/:id', (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    if (!opts.images.has(req.params.id)) return reply.code(404).send(envelopeError('not_found', 'No such image.'))
    return reply
      .header('content-type', opts.images.mime(req.params.id))
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('content-security-policy', IMAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .send(opts.images.read(req.params.id))
  })

  // The lettering fonts the page SVGs name (FONT_PATH), open files like the page's own assets; nothing else from that folder.
  server.get(`${FONT_PATH}:file`, (req: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const file = shippedFontFile(req.params.file)
    if (!file || !existsSync(file)) return reply.code(404).send(envelopeError('not_found', 'No such font.'))
    return reply
      .header('content-type', MIME_TYPES[extname(file)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(readFileSync(file))
  })

  const root = normalize(opts.rendererDir + sep)
  const assets = join(root, 'assets', sep)
  const index = join(root, 'index.html')
  server.get('/*', async (req, reply) => {
    const path = decodeURIComponent(req.url.split('?')[0])
    const query = (req.query as Record<string, unknown>).token
    if (typeof query === 'string' && tokenMatches(query)) {
      reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`)
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path))
    const target = file.startsWith(root) && existsSync(file) && statSync(file).isFile() ? file : index
    if (!existsSync(target)) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The studio page is not built yet: run `npm run build` first.')
    }
    // The page carries its first screen's answers for a reader who holds the token, and is then never stored.
    const signedInPage = target === index && authorized(req)
    return reply
      .header('content-type', MIME_TYPES[extname(target)] ?? 'application/octet-stream')
      // The build names every asset by its content hash, so a browser may keep it (and V8 its compiled
      // code) for good; the page itself names the current assets and is asked for afresh each time.
      .header('cache-control', target.startsWith(assets) ? 'public, max-age=31536000, immutable' : signedInPage ? 'no-store' : 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', STUDIO_CSP)
      .header('referrer-policy', 'no-referrer')
      .send(signedInPage ? await withFirstAnswers(readFileSync(target, 'utf8'), opts.dispatch) : readFileSync(target))
  })

  const address = await server.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 })
  const url = address.replace('[::1]', 'localhost')
  return {
    url,
    openUrl: `${url}/?token=${token}`,
    token,
    server,
    close: () => server.close(),
  }
}
