import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { request } from 'undici'
import type { StudioEvent } from '../../src/contract/index.ts'
import type { RunningServer } from '../../src/api/http-server.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.ts'
import { FakeRunpodCloud } from '../fakes/runpod-pods.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { FakeReplicate } from '../fakes/replicate-server.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { unzip } from '../export/inspect.ts'
import { makeStudio, serveStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'
import { FastClock, findSecrets, listFiles } from './helpers.ts'

const OPENAI_KEY = 'sk-proj-HARDENING-openai-7c1d2e3f4a5b6c7d8e9f0a1b'
const WRONG_OPENAI_KEY = 'sk-proj-HARDENING-wrong-00112233445566778899aabb'
const RUNPOD_KEY = 'rpa_HARDENING_RUNPOD_0a1b2c3d4e5f6a7b8c9d0e1f'
const REPLICATE_KEY = 'r8_HARDENING_REPLICATE_9f8e7d6c5b4a3f2e1d0c9b8a'
const KEYS = [OPENAI_KEY, WRONG_OPENAI_KEY, RUNPOD_KEY, REPLICATE_KEY]
// Text we do write on purpose, to prove the search sees through the WAL and the PDF's compression.
const CANARY = 'CANARY-7f3a9b2c1d0e'

const cleanups: Array<() => Promise<unknown> | unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

// Everything the process writes to its console while the run goes on.
function captureOutput(): { text(): string } {
  const chunks: string[] = []
  const restore: Array<() => void> = []
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream)
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof stream.write
    restore.push(() => { stream.write = original })
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[level]
    console[level] = (...args: unknown[]) => {
      chunks.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}\n${String(a.cause)}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
      original(...args)
    }
    restore.push(() => { console[level] = original })
  }
  cleanups.push(() => restore.forEach((r) => r()))
  return { text: () => chunks.join('\n') }
}

// The PDF's streams inflated, so a key drawn as text or kept in metadata cannot hide in compression.
function pdfContent(file: string): Buffer {
  const raw = readFileSync(file)
  const parts: Buffer[] = [raw, Buffer.from(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }))]
  let at = 0
  for (;;) {
    const start = raw.indexOf('stream', at)
    if (start < 0) break
    const bodyStart = raw[start + 6] === 0x0d ? start + 8 : start + 7
    const end = raw.indexOf('endstream', bodyStart)
    if (end < 0) break
    try {
      parts.push(inflateSync(raw.subarray(bodyStart, end)))
    } catch {
      // Not a Flate stream (a raw image): it is in `raw` already.
    }
    at = end + 9
  }
  return Buffer.concat(parts)
}

async function api(server: RunningServer, command: string, input: unknown, bodies: string[]): Promise<{ ok: boolean; data?: any; error?: { code: string; message: string } }> {
  const res = await request(`${server.url}/api/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(input),
  })
  const text = await res.body.text()
  bodies.push(`${res.statusCode} ${JSON.stringify(res.headers)} ${text}`)
  return JSON.parse(text)
}

// The SSE stream as raw text, the way a browser would receive it.
async function streamEvents(server: RunningServer, sink: string[]): Promise<() => void> {
  const res = await request(`${server.url}/api/events`, { headers: { authorization: `Bearer ${server.token}` } })
  void (async () => {
    try {
      for await (const chunk of res.body) sink.push(chunk.toString())
    } catch {
      // Closed at the end of the test.
    }
  })()
  return () => res.body.destroy()
}

function completed(studio: Studio, comicId: string): Promise<StudioEvent> {
  return new Promise((resolve) => {
    const off = studio.events.on((e) => {
      if (e.type === 'generation_complete' && e.comicId === comicId) {
        off()
        resolve(e)
      }
    })
  })
}

describe('API keys never leave the Secrets service', () => {
  it('a full run with OpenAI, RunPod and Replicate keys, two exports and a wrong key leaves no key in any output', async () => {
    const output = captureOutput()
    const clock = new FastClock(50)
    const log = new GenerationLog()
    const openai: FakeOpenAI = await startFakeOpenAI({ apiKey: OPENAI_KEY })
    const pods = await new FakeRunpodCloud({ clock, log, apiKey: RUNPOD_KEY }).start()
    const serverless = await new FakeRunpodServerless({ clock, log, apiKey: RUNPOD_KEY, jobMs: 1_000 }).start()
    const replicate = await new FakeReplicate({ clock, log, token: REPLICATE_KEY, predictMs: 1_000 }).start()
    cleanups.push(() => openai.close(), () => pods.close(), () => serverless.close(), () => replicate.close())

    const home = tempDir('kitsumy-secrets-')
    const studio = makeStudio(home, { clock })
    const server = await serveStudio(studio)
    cleanups.push(async () => {
      await server.close()
      await studio.close()
    })
    const events: StudioEvent[] = []
    studio.events.on((e) => events.push(e))
    const sse: string[] = []
    const stopStream = await streamEvents(server, sse)
    const bodies: string[] = []
    studio.library.settings.put('cloud.overrides', {
      urls: { runpodRest: pods.restUrl, runpodGraphql: pods.graphqlUrl, runpodServerless: serverless.baseUrl, podProxy: pods.proxyTemplate, replicate: replicate.baseUrl },
      poll: { jobSeconds: 1, requestTimeoutSeconds: 20 },
    })
    studio.start()

    // The keys arrive the way the settings screen sends them: through the transport.
    for (const [name, value] of [['openai', OPENAI_KEY], ['runpod', RUNPOD_KEY], ['replicate', REPLICATE_KEY]]) {
      const set = await api(server, 'secrets.set', { name, value }, bodies)
      expect(set).toMatchObject({ ok: true, data: { name, set: true, last4: value.slice(-4) } })
    }
    expect((await api(server, 'secrets.set', { name: 'github', value: OPENAI_KEY }, bodies)).error?.code).toBe('bad_input')
    expect((await api(server, 'secrets.set', { name: 'openai', value: `${OPENAI_KEY}${'x'.repeat(600)}` }, bodies)).error?.code).toBe('bad_input')
    expect((await api(server, 'settings.update', { patch: { openaiBaseUrl: `${openai.url}/v1`, providers: { serverlessEndpointId: 'ep-comfy' } } }, bodies)).ok).toBe(true)
    const settings = await api(server, 'settings.get', {}, bodies)
    expect(settings.data.keys.map((k: { set: boolean }) => k.set)).toEqual([true, true, true])

    // Comic 1: the LLM writes, RunPod draws (hosted Flux or our serverless endpoint, as the router likes).
    const first = await api(server, 'comics.create', { idea: `A fox detective hunts a missing tram in rainy Kyiv ${CANARY}`, styleId: 'classic-noir', pages: 1, seed: 5, storyEngine: 'openai' }, bodies)
    expect(first.ok).toBe(true)
    expect(await completed(studio, first.data.comicId)).toMatchObject({ status: 'done' })

    // Comic 2: without the RunPod key, Replicate draws.
    await api(server, 'secrets.clear', { name: 'runpod' }, bodies)
    const second = await api(server, 'comics.create', { idea: 'Two cats repair an old lighthouse', styleId: 'shonen', pages: 1, seed: 6, storyEngine: 'openai' }, bodies)
    expect(await completed(studio, second.data.comicId)).toMatchObject({ status: 'done' })

    // Comic 3: a wrong key, so the error paths run too.
    await api(server, 'secrets.set', { name: 'openai', value: WRONG_OPENAI_KEY }, bodies)
    const third = await api(server, 'comics.create', { idea: 'A ghost opens a bakery', styleId: 'ink-wash', pages: 1, storyEngine: 'openai' }, bodies)
    expect(await completed(studio, third.data.comicId)).toMatchObject({ status: 'failed' })
    const authError = events.find((e) => e.type === 'error' && e.comicId === third.data.comicId)
    expect(authError).toMatchObject({ message: expect.stringMatching(/key/i) })

    // Every key really reached its provider, so finding none below means something.
    expect(openai.requests.some((r) => r.authorization === `Bearer ${OPENAI_KEY}`)).toBe(true)
    expect(openai.requests.some((r) => r.authorization === `Bearer ${WRONG_OPENAI_KEY}`)).toBe(true)
    expect(serverless.calls.run + serverless.calls.runsync).toBeGreaterThan(0)
    expect(replicate.calls.create).toBeGreaterThan(0)
    expect(log.done.some((d) => d.where.startsWith('replicate:'))).toBe(true)

    const comic1 = (await api(server, 'comics.get', { comicId: first.data.comicId }, bodies)).data
    const panel = comic1.pages[0].panels[0]
    const bubble = { id: 'canary-bubble', kind: 'speech', text: CANARY, speakerId: null, x: 0.1, y: 0.1, w: 0.5, h: 0.2, tailX: 0.3, tailY: 0.5 }
    expect((await api(server, 'panels.update', { comicId: comic1.id, panelId: panel.id, patch: { bubbles: [bubble] } }, bodies)).ok).toBe(true)
    const exportPdf = await api(server, 'comics.export', { comicId: first.data.comicId, format: 'pdf', dpi: 72 }, bodies)
    const exportCbz = await api(server, 'comics.export', { comicId: second.data.comicId, format: 'cbz', dpi: 72 }, bodies)
    expect(exportPdf.ok && exportCbz.ok).toBe(true)
    const [pdf] = exportPdf.data.files as string[]
    const [cbz] = exportCbz.data.files as string[]
    const failedComic = await api(server, 'comics.get', { comicId: third.data.comicId }, bodies)
    expect(failedComic.data.status).toBe('failed')
    const queueErrors = studio.library.db.prepare('SELECT error FROM queue_jobs WHERE error IS NOT NULL').all()
    expect(queueErrors.length).toBeGreaterThan(0)

    // While the library is open: the database, its WAL, and every other file in the library folder.
    const files = listFiles(home)
    expect(files.some((f) => f.endsWith('library.sqlite-wal'))).toBe(true)
    const leaks: string[] = []
    const check = (what: string, content: Buffer | string) => {
      for (const key of findSecrets(content, KEYS)) leaks.push(`${what} contains …${key.slice(-6)}`)
    }
    for (const file of files) check(file, readFileSync(file))
    check('pdf (inflated)', pdfContent(pdf))
    expect(findSecrets(Buffer.concat(files.filter((f) => /library\.sqlite/.test(f)).map((f) => readFileSync(f))), [CANARY])).toEqual([CANARY])
    expect(findSecrets(pdfContent(pdf), [CANARY])).toEqual([CANARY])
    for (const entry of await unzip(readFileSync(cbz))) check(`cbz:${entry.name}`, entry.data)
    stopStream()
    await server.close()
    await studio.close()
    for (const file of listFiles(home)) check(`${file} (closed)`, readFileSync(file))
    check('console output', output.text())
    check('studio events', JSON.stringify(events))
    check('SSE stream', sse.join(''))
    check('HTTP responses', bodies.join('\n'))
    check('queue errors', JSON.stringify(queueErrors))
    expect(sse.join('')).toContain('generation_complete')
    expect(leaks).toEqual([])
  })

  it('.env files are ignored by git', () => {
    const ignore = readFileSync('.gitignore', 'utf8').split('\n').map((l) => l.trim())
    expect(ignore).toContain('.env*')
    const ignored = execFileSync('git', ['check-ignore', '--no-index', '.env', '.env.local', 'config/.env.production'], { encoding: 'utf8' })
    expect(ignored.trim().split('\n')).toEqual(['.env', '.env.local', 'config/.env.production'])
  })

  it('the CLI and serve mode read keys only from the environment and write no key file', async () => {
    const { EnvSecrets } = await import('../../src/platform/secrets.ts')
    const secrets = new EnvSecrets({ OPENAI_API_KEY: OPENAI_KEY })
    expect(secrets.status('openai')).toEqual({ set: true, last4: OPENAI_KEY.slice(-4), storage: 'environment' })
    secrets.set('replicate', REPLICATE_KEY)
    expect(secrets.status('replicate').storage).toBe('memory')
    const home = tempDir('kitsumy-secrets-env-')
    const studio = makeStudio(home, { secrets })
    await studio.close()
    for (const file of listFiles(home)) expect(findSecrets(readFileSync(file), KEYS), file).toEqual([])
  })
})
