import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/platform/clock.ts'
import { EnvSecrets } from '../../src/platform/secrets.ts'
import { createCloudBurst } from '../../src/cloud/burst.ts'
import type { CloudBurst } from '../../src/cloud/burst.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'
import { DemandMeter } from '../../src/cloud/demand.ts'
import { FakeRunpodCloud } from '../fakes/runpod-pods.ts'
import { FakeRunpodServerless } from '../fakes/runpod-serverless.ts'
import { FakeReplicate } from '../fakes/replicate-server.ts'
import { GenerationLog, pngLabel } from '../fakes/runpod-shared.ts'
import { EventLog, drive, expectRejects, imageRequest } from './helpers.ts'

const RUNPOD_KEY = 'rpa_SECRETKEY_0123456789abcdef'
const REPLICATE_TOKEN = 'r8_SECRETTOKEN_0123456789abcdef'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function fakes(clock: ManualClock, log: GenerationLog) {
  const cloud = await new FakeRunpodCloud({ clock, log, apiKey: RUNPOD_KEY }).start()
  const serverless = await new FakeRunpodServerless({ clock, log, apiKey: RUNPOD_KEY, jobMs: 12_000 }).start()
  const replicate = await new FakeReplicate({ clock, log, token: REPLICATE_TOKEN }).start()
  cleanups.push(() => cloud.close(), () => serverless.close(), () => replicate.close())
  const settings = parseCloudSettings({
    urls: { runpodRest: cloud.restUrl, runpodGraphql: cloud.graphqlUrl, runpodServerless: serverless.baseUrl, podProxy: cloud.proxyTemplate, replicate: replicate.baseUrl },
    serverless: { endpointId: 'ep-comfy' },
  })
  return { cloud, serverless, replicate, settings }
}

function burstWith(clock: ManualClock, settings: ReturnType<typeof parseCloudSettings>, env: Record<string, string>, events: EventLog): CloudBurst {
  const burst = createCloudBurst({ settings, secrets: new EnvSecrets(env), clock, emit: events.emit, installId: 'install42', today: () => '2026-11-20' })
  cleanups.push(() => drive(clock, burst.shutdown()))
  return burst
}

const opts = (remaining: number, firstOfComic = false) => ({ signal: new AbortController().signal, comicId: 'c1', urgent: false, remaining, firstOfComic })

describe('createCloudBurst: engines from the keys the user has', () => {
  it('with a RunPod key: live prices, orphans reaped on start, styled workflows run on serverless', async () => {
    const clock = new ManualClock()
    const log = new GenerationLog()
    const { cloud, settings } = await fakes(clock, log)
    const orphan = cloud.seedPod({ name: 'kitsumy-install42-old1', env: { KITSUMY_INSTALL_ID: 'install42' } })
    const events = new EventLog()
    const burst = burstWith(clock, settings, { RUNPOD_API_KEY: RUNPOD_KEY }, events)
    const started = await drive(clock, burst.start())
    expect(started.reaped).toEqual([orphan.id])
    expect(started.prices).toMatchObject({ source: 'catalog', asOf: '2026-11-20' })
    expect(burst.pods).not.toBeNull()

    const r = await drive(clock, burst.dispatcher.generate(imageRequest(77, { styleId: 'shonen' }), opts(3)))
    expect(r.engine).toBe('serverless')
    expect(pngLabel(r.bytes)).toBe('seed:77')
    expect(r.costUsd).toBeCloseTo(12 * 0.00034, 6)
    expect(JSON.stringify(events.events)).not.toContain(RUNPOD_KEY)
  })

  it('with only a Replicate token: Replicate draws, no pods exist', async () => {
    const clock = new ManualClock()
    const { settings } = await fakes(clock, new GenerationLog())
    const events = new EventLog()
    const burst = burstWith(clock, settings, { REPLICATE_API_TOKEN: REPLICATE_TOKEN }, events)
    expect(burst.pods).toBeNull()
    const r = await drive(clock, burst.dispatcher.generate(imageRequest(78), opts(40)))
    expect(r.engine).toBe('replicate')
    expect(pngLabel(r.bytes)).toBe('seed:78')
    expect(JSON.stringify(events.events)).not.toContain(REPLICATE_TOKEN)
  })

  it('a burst rebuilt for new keys or settings keeps the demand the studio has seen', async () => {
    const clock = new ManualClock()
    const { settings } = await fakes(clock, new GenerationLog())
    const demand = new DemandMeter(clock)
    const first = createCloudBurst({ settings, secrets: new EnvSecrets({ REPLICATE_API_TOKEN: REPLICATE_TOKEN }), clock, emit: new EventLog().emit, installId: 'install42', today: () => '2026-11-20', demand })
    for (const seed of [1, 2, 3]) await drive(clock, first.dispatcher.generate(imageRequest(seed), opts(3)))
    await drive(clock, first.shutdown())
    // 3 images over the meter's shortest span (30 min).
    expect(demand.perHour()).toBeCloseTo(6, 6)
    const again = createCloudBurst({ settings, secrets: new EnvSecrets({ REPLICATE_API_TOKEN: REPLICATE_TOKEN }), clock, emit: new EventLog().emit, installId: 'install42', today: () => '2026-11-20', demand })
    cleanups.push(() => drive(clock, again.shutdown()))
    await drive(clock, again.dispatcher.generate(imageRequest(4), opts(1)))
    expect(demand.perHour()).toBeCloseTo(8, 6)
  })

  it('with no keys the router says offline, and without an offline engine that is a clear error', async () => {
    const clock = new ManualClock()
    const events = new EventLog()
    const burst = burstWith(clock, parseCloudSettings(), {}, events)
    const err = await expectRejects(burst.dispatcher.generate(imageRequest(79), opts(1)))
    expect(err.code).toBe('bad_input')
    expect(events.of('route_decision')[0]).toMatchObject({ engine: 'offline' })
    expect(events.of('route_decision')[0].reason).toContain('no cloud engine')
  })

  it('an unreachable RunPod at start is reported, not thrown', async () => {
    const clock = new ManualClock()
    const events = new EventLog()
    const settings = parseCloudSettings({ urls: { runpodRest: 'http://127.0.0.1:9/v2' }, poll: { requestTimeoutSeconds: 1 } })
    const burst = burstWith(clock, settings, { RUNPOD_API_KEY: RUNPOD_KEY }, events)
    const started = await drive(clock, burst.start())
    expect(started.reaped).toEqual([])
    expect(started.prices.source).toBe('fallback')
    expect(events.of('error')[0].message).toContain('pods left running')
  })
})
