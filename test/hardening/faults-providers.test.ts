import { afterEach, describe, expect, it } from 'vitest'
import { createDispatch, type Dispatch } from '../../src/api/dispatch.ts'
import type { Comic, StudioEvent } from '../../src/contract/index.ts'
import { EnvSecrets } from '../../src/platform/secrets.ts'
import { OpenAIStoryWriter } from '../../src/story/openai-writer.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { startFakeOpenAI, type FakeFault, type FakeOpenAI } from '../fakes/openai-server.ts'
import { FakeReplicate } from '../fakes/replicate-server.ts'
import { FakeRunpodCloud } from '../fakes/runpod-pods.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { makeStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'
import { FastClock, queueIdle, startFaultProxy, type FaultProxy } from './helpers.ts'

// Providers misbehaving the ways they do in production, with the real studio in front of them: the queue,
// the writers and engines, the library. After every storm the app still answers, finished work stays
// finished, and nothing that was delivered is paid for again.

const OPENAI_KEY = 'sk-proj-HARDENING-faults-0123456789abcdef'
const REPLICATE_KEY = 'r8_HARDENING_faults_0123456789abcdef'

const cleanups: Array<() => Promise<unknown> | unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

interface Run {
  studio: Studio
  dispatch: Dispatch
  events: StudioEvent[]
}

function open(studio: Studio): Run {
  const events: StudioEvent[] = []
  studio.events.on((e) => events.push(e))
  cleanups.push(() => studio.close())
  studio.start()
  return { studio, dispatch: createDispatch(studio.handlers('ipc')), events }
}

async function comic(run: Run, input: Record<string, unknown> = {}): Promise<Comic> {
  const created = await run.dispatch('comics.create', { idea: 'A lighthouse keeper befriends a storm', styleId: 'ink-wash', pages: 1, seed: 9, ...input })
  if (!created.ok) throw new Error(created.error.message)
  const { comicId } = created.data as { comicId: string }
  await new Promise<void>((resolve) => {
    const check = () => run.events.some((e) => e.type === 'generation_complete' && e.comicId === comicId)
    if (check()) return resolve()
    const off = run.studio.events.on(() => { if (check()) { off(); resolve() } })
  })
  return run.studio.comic(comicId)
}

// The studio's answers still come, and the library is intact.
async function expectStillRunning(run: Run): Promise<void> {
  const list = await run.dispatch('comics.list', {})
  expect(list.ok).toBe(true)
  expect(run.studio.library.db.pragma('integrity_check', { simple: true })).toBe('ok')
}

const panels = (c: Comic) => c.pages.flatMap((p) => p.panels)

describe('the story server misbehaves', () => {
  let fake: FakeOpenAI

  async function storyRun(opts: { timeoutMs?: number; baseUrl?: string } = {}): Promise<Run> {
    fake = await startFakeOpenAI({ apiKey: OPENAI_KEY })
    cleanups.push(() => fake.close())
    const clock = new FastClock(50)
    let studio: Studio | null = null
    // The writer the studio would build for an OpenAI key, with a short timeout and the library's step cache.
    const cache = {
      get: (key: string) => studio!.library.cache.forKind('story').get(key),
      put: (key: string, value: string) => studio!.library.cache.forKind('story').put(key, value),
    }
    const writer = new OpenAIStoryWriter({ apiKey: OPENAI_KEY, model: 'gpt-4.1-mini', baseURL: `${opts.baseUrl ?? fake.url}/v1`, clock, timeoutMs: opts.timeoutMs ?? 5_000, cache })
    studio = makeStudio(tempDir('kitsumy-faults-'), { clock, engines: { story: writer } })
    return open(studio)
  }

  // A clean answer is always accepted, so a step is never asked for again once one arrived: not by the writer,
  // and not when the queue runs the comic job again (the step cache answers). `lostInTransit` clean answers
  // at the start never reached the studio.
  function expectNoStepPaidTwice(lostInTransit = 0): void {
    const bySchema = new Map<string, number[]>()
    fake.requests.forEach((r, i) => bySchema.set(r.schemaName ?? '?', [...(bySchema.get(r.schemaName ?? '?') ?? []), i]))
    expect([...bySchema.keys()].sort()).toEqual(['kitsumy_characters', 'kitsumy_dialogue', 'kitsumy_pages', 'kitsumy_plot'])
    for (const [schema, indexes] of bySchema) {
      const clean = indexes.filter((i) => i >= lostInTransit && fake.requests[i].status === 200 && fake.requests[i].fault === null)
      expect(clean.length, schema).toBeLessThanOrEqual(1)
      if (clean.length === 1) expect(indexes.at(-1), `${schema} asked again after a clean answer`).toBe(clean[0])
    }
  }

  const storms: Array<[string, FakeFault[], { timeoutMs?: number }]> = [
    ['a 5xx storm longer than one job attempt', Array.from({ length: 10 }, (_, i) => ({ kind: 'server_error' as const, status: [500, 502, 503][i % 3] })), {}],
    ['a 429 storm with Retry-After', Array.from({ length: 8 }, () => ({ kind: 'rate_limit' as const, retryAfterSeconds: 2 })), {}],
    ['requests that never answer', [{ kind: 'timeout' }, { kind: 'timeout' }, { kind: 'timeout' }], { timeoutMs: 250 }],
    ['answers cut off at the length limit', [{ kind: 'truncated', keepFraction: 0.3 }, { kind: 'truncated', dropChars: 1 }, { kind: 'truncated', keepFraction: 0.9 }], {}],
    ['malformed JSON and prose', [{ kind: 'malformed' }, { kind: 'content', content: '{"title": "The Keeper", "logline": ' }, { kind: 'fenced' }, { kind: 'invalid' }], {}],
  ]

  for (const [name, faults, opts] of storms) {
    it(`${name}: the comic is written, no step is paid twice, the app keeps running`, async () => {
      const run = await storyRun(opts)
      fake.faults.push(...faults)
      const done = await comic(run)
      expect(done.status).toBe('done')
      expect(panels(done).every((p) => p.image !== null)).toBe(true)
      expect(fake.faults).toEqual([])
      expectNoStepPaidTwice()
      await expectStillRunning(run)
    })
  }

  it('answers cut off in transit (HTTP body shorter than its Content-Length): retried, then written', async () => {
    const upstream = await startFakeOpenAI({ apiKey: OPENAI_KEY })
    const proxy: FaultProxy = await startFaultProxy(upstream.url)
    cleanups.push(() => upstream.close(), () => proxy.close())
    const run = await storyRun({ baseUrl: proxy.url })
    await fake.close()
    fake = upstream
    proxy.truncateNext = 2
    const done = await comic(run)
    expect(proxy.truncated).toBe(2)
    expect(done.status).toBe('done')
    // The two lost answers were generated (and billed) upstream; every other step exactly once.
    expectNoStepPaidTwice(2)
  })

  it('a storm that outlasts every retry fails the comic clearly, and the next comic is fine', async () => {
    const run = await storyRun()
    fake.faults.push(...Array.from({ length: 60 }, () => ({ kind: 'server_error' as const, status: 503 })))
    const failed = await comic(run)
    expect(failed.status).toBe('failed')
    const error = run.events.find((e): e is Extract<StudioEvent, { type: 'error' }> => e.type === 'error' && e.comicId === failed.id)!
    expect(error.message).toMatch(/story server/i)
    expect(error.message).not.toMatch(/at .*\.ts|node_modules|Error:/)
    const job = run.studio.library.db.prepare("SELECT state, attempts FROM queue_jobs WHERE kind = 'comic' AND comic_id = ?").get(failed.id)
    expect(job).toEqual({ state: 'failed', attempts: 3 })
    fake.faults.length = 0
    const next = await comic(run, { idea: 'A second try, on a calm day', seed: 10 })
    expect(next.status).toBe('done')
    await expectStillRunning(run)
  })
})

describe('the image provider misbehaves', () => {
  const RUNPOD_KEY = 'rpa_HARDENING_faults_0123456789abcdef'

  async function imageRun(opts: { requestTimeoutSeconds?: number; viaProxy?: boolean } = {}) {
    const clock = new FastClock(50)
    const log = new GenerationLog()
    const replicate = await new FakeReplicate({ clock, log, token: REPLICATE_KEY, predictMs: 3_000 }).start()
    cleanups.push(() => replicate.close())
    const proxy = opts.viaProxy ? await startFaultProxy(replicate.url, (path) => path.startsWith('/files/')) : null
    if (proxy) cleanups.push(() => proxy.close())
    const studio = makeStudio(tempDir('kitsumy-faults-img-'), { clock, secrets: new EnvSecrets({ REPLICATE_API_TOKEN: REPLICATE_KEY }) })
    studio.library.settings.put('cloud.overrides', {
      urls: { replicate: `${proxy?.url ?? replicate.url}/v1` },
      poll: { jobSeconds: 1, requestTimeoutSeconds: opts.requestTimeoutSeconds ?? 10, downloadTimeoutSeconds: 10 },
    })
    const delivered = () => [...replicate.predictions.values()].filter((p) => p.state === 'succeeded').length
    return { run: open(studio), replicate, log, proxy, delivered }
  }

  // Our own RunPod serverless endpoint (pods off, the default), for faults on its submit-then-poll calls.
  async function serverlessRun(opts: { requestTimeoutSeconds: number }) {
    const clock = new FastClock(50)
    const log = new GenerationLog()
    const cloud = await new FakeRunpodCloud({ clock, log, apiKey: RUNPOD_KEY }).start()
    const serverless = await new FakeRunpodServerless({ clock, log, apiKey: RUNPOD_KEY, jobMs: 2_000 }).start()
    cleanups.push(() => cloud.close(), () => serverless.close())
    const studio = makeStudio(tempDir('kitsumy-faults-sls-'), { clock, secrets: new EnvSecrets({ RUNPOD_API_KEY: RUNPOD_KEY }) })
    studio.settings.update({ providers: { serverlessEndpointId: 'ep-comfy' } })
    studio.library.settings.put('cloud.overrides', {
      urls: { runpodRest: cloud.restUrl, runpodGraphql: cloud.graphqlUrl, runpodServerless: serverless.baseUrl, podProxy: cloud.proxyTemplate },
      poll: { jobSeconds: 1, requestTimeoutSeconds: opts.requestTimeoutSeconds, downloadTimeoutSeconds: 10 },
    })
    const delivered = () => [...serverless.jobs.values()].filter((j) => j.state === 'COMPLETED').length
    return { run: open(studio), serverless, log, delivered }
  }

  // Each picture the provider finished was paid once: a delivered image is never asked for again.
  function expectNothingDrawnTwice(run: Run, log: GenerationLog, delivered: number, comicDone: Comic): void {
    for (const [seed, n] of log.countBySeed()) expect(n, `seed ${seed} drawn ${n} times`).toBe(1)
    expect(delivered).toBe(log.done.length)
    expect(log.done.length).toBe(panels(comicDone).filter((p) => p.image).length)
    // The ledger agrees: one charge per delivered picture.
    const charged = run.studio.library.db.prepare("SELECT DISTINCT panel_id FROM cost_charges WHERE comic_id = ? AND kind = 'image'").all(comicDone.id)
    expect(charged).toHaveLength(log.done.length)
  }

  const storms: Array<[string, (r: FakeReplicate) => void]> = [
    ['a 5xx storm', (r) => { r.serverErrorsNext = 6 }],
    ['a 429 storm with Retry-After', (r) => { r.rateLimitNext = 12; r.retryAfterSeconds = 3 }],
  ]

  for (const [name, storm] of storms) {
    it(`${name}: every panel is drawn, none twice, the app keeps running`, async () => {
      const { run, replicate, log, delivered } = await imageRun()
      storm(replicate)
      const done = await comic(run)
      expect(done.status).toBe('done')
      expect(panels(done).every((p) => p.image && p.status === 'done')).toBe(true)
      expect(replicate.serverErrorsNext + replicate.rateLimitNext).toBe(0)
      expectNothingDrawnTwice(run, log, delivered(), done)
      await expectStillRunning(run)
    })
  }

  it('submits and polls that hang past the timeout: every panel is drawn, none twice', async () => {
    const { run, serverless, log, delivered } = await serverlessRun({ requestTimeoutSeconds: 0.3 })
    serverless.hangNext = 4
    const done = await comic(run)
    expect(serverless.hangNext).toBe(0)
    expect(done.status).toBe('done')
    expect(log.done.every((d) => d.where === 'serverless:ep-comfy')).toBe(true)
    expectNothingDrawnTwice(run, log, delivered(), done)
    await expectStillRunning(run)
  })

  it('image downloads cut off in transit are fetched again, not drawn again', async () => {
    const { run, log, proxy, delivered } = await imageRun({ viaProxy: true })
    proxy!.truncateNext = 3
    const done = await comic(run)
    expect(proxy!.truncated).toBe(3)
    expect(done.status).toBe('done')
    expectNothingDrawnTwice(run, log, delivered(), done)
  })

  it('a storm that outlasts every retry leaves retryable failed panels; a retry later draws them', async () => {
    const { run, replicate, log, delivered } = await imageRun()
    replicate.serverErrorsNext = 1_000
    const failed = await comic(run)
    expect(failed.status).toBe('failed')
    for (const p of panels(failed)) {
      expect(p.status).toBe('failed')
      expect(p.error).toMatch(/replicate/i)
    }
    replicate.serverErrorsNext = 0
    for (const p of panels(failed)) {
      const retried = await run.dispatch('panels.regenerate', { comicId: failed.id, panelId: p.id })
      expect(retried.ok).toBe(true)
    }
    await queueIdle(run.studio, failed.id)
    expect(panels(run.studio.comic(failed.id)).every((p) => p.status === 'done')).toBe(true)
    // Every panel redrawn: the comic no longer says it failed.
    expect(run.studio.comic(failed.id).status).toBe('done')
    expectNothingDrawnTwice(run, log, delivered(), run.studio.comic(failed.id))
    await expectStillRunning(run)
  })
})
