import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/platform/clock.ts'
import { RunpodRestClient } from '../../src/cloud/runpod-rest.ts'
import type { CreatePodSpec } from '../../src/cloud/runpod-rest.ts'
import { RunpodGraphqlClient, statusOfGqlPod } from '../../src/cloud/runpod-graphql.ts'
import { FALLBACK_PRICES, bidFromCatalog, pricesFromCatalog } from '../../src/cloud/prices.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'
import { parseRetryAfter, redact } from '../../src/art/http.ts'
import { FakeRunpodCloud } from '../fakes/runpod-pods.ts'
import { GenerationLog, listen, sendJson } from '../fakes/runpod-shared.ts'
import { drive, expectRejects } from './helpers.ts'

const KEY = 'rpa_SECRETKEY_0123456789abcdef'

let clock: ManualClock
let cloud: FakeRunpodCloud

beforeEach(async () => {
  clock = new ManualClock()
  cloud = await new FakeRunpodCloud({ clock, log: new GenerationLog(), apiKey: KEY }).start()
})
afterEach(() => cloud.close())

const rest = (key = KEY) => new RunpodRestClient({ baseUrl: cloud.restUrl, apiKey: key, clock, requestTimeoutMs: 2_000, retryAttempts: 4, retryBaseMs: 1_000 })
const spec = (over: Partial<CreatePodSpec> = {}): CreatePodSpec => ({
  name: 'kitsumy-test1234-abc', image: 'runpod/worker-comfyui:5.5.1-flux1-dev', gpuTypeId: 'NVIDIA A40', gpuCount: 1,
  ports: ['8188/http'], env: { KITSUMY_INSTALL_ID: 'test1234' }, cloud: 'SECURE', diskGb: 60, ...over,
})

describe('RunPod REST v2 pods client', () => {
  it('creates, reads, lists and terminates a pod; status moves from PROVISIONING to RUNNING', async () => {
    const r = rest()
    const pod = await r.createPod(spec())
    expect(pod).toMatchObject({ name: 'kitsumy-test1234-abc', status: 'PROVISIONING', cost: 0.44, runtime: null })
    clock.advance(cloud.bootMs)
    expect((await r.getPod(pod.id))?.status).toBe('RUNNING')
    expect((await r.listPods()).map((p) => p.id)).toEqual([pod.id])
    await r.terminatePod(pod.id)
    await r.terminatePod(pod.id)
    expect(await r.getPod(pod.id)).toBeNull()
    expect(cloud.billing()).toEqual([])
  })

  it('maps RFC 9457 problems: 400 capacity, 402 no_balance, 403 unauthorized, 422 bad_input, 401 auth', async () => {
    cloud.noCapacity = new Set(['NVIDIA A40'])
    expect((await expectRejects(rest().createPod(spec()))).code).toBe('capacity')
    cloud.forbidden.add('NVIDIA L40S')
    expect((await expectRejects(rest().createPod(spec({ gpuTypeId: 'NVIDIA L40S' })))).code).toBe('unauthorized')
    expect((await expectRejects(rest().createPod(spec({ name: '' })))).code).toBe('bad_input')
    cloud.noBalance = true
    expect((await expectRejects(rest().createPod(spec({ gpuTypeId: 'NVIDIA RTX A6000' })))).code).toBe('no_balance')
    const auth = await expectRejects(rest('rpa_WRONG_0000000000').listPods())
    expect(auth.code).toBe('auth')
    expect(auth.message).not.toContain('rpa_WRONG_0000000000')
    expect(cloud.calls.create).toBe(4)
  })

  it('honours Retry-After on 429 and backs off on 5xx, then gives up with bad_response', async () => {
    cloud.rateLimitNext = 1
    cloud.retryAfterSeconds = 9
    const t0 = clock.now()
    await drive(clock, rest().listPods())
    expect(clock.now() - t0).toBe(9_000)
    cloud.serverErrorsNext = 2
    await drive(clock, rest().listGpuTypes())
    expect(cloud.calls.serverErrors).toBe(2)
    cloud.serverErrorsNext = 10
    const err = await expectRejects(drive(clock, rest().getPod('nope')))
    expect(err).toMatchObject({ code: 'bad_response', retryable: true })
  })

  it('a 5xx on create never rents twice: the pod is found by its unique name', async () => {
    const r = rest()
    cloud.serverErrorsNext = 1
    await drive(clock, r.createPod(spec({ name: 'kitsumy-test1234-first' })))
    expect(cloud.calls.create).toBe(1)
    cloud.createThenFailNext = 1
    const pod = await drive(clock, r.createPod(spec({ name: 'kitsumy-test1234-second' })))
    expect(pod.name).toBe('kitsumy-test1234-second')
    expect(cloud.calls.create).toBe(2)
    expect(cloud.billing().filter((p) => p.name === 'kitsumy-test1234-second')).toHaveLength(1)
  })

  it('reads the GPU catalog and turns it into prices; the fallback is dated', async () => {
    const settings = parseCloudSettings()
    const catalog = await rest().listGpuTypes()
    const prices = pricesFromCatalog(catalog, settings, '2026-11-20')
    expect(prices).toMatchObject({ source: 'catalog', asOf: '2026-11-20', podPerHour: 0.44, podGpuTypeId: 'NVIDIA A40', serverlessPerSecond: 0.00034 })
    const none = pricesFromCatalog([], settings, '2026-11-20')
    expect(none).toMatchObject({ source: 'fallback', asOf: FALLBACK_PRICES.asOf })
    const spot = parseCloudSettings({ pods: { capacityClass: 'interruptible', cloud: 'COMMUNITY', gpuTypes: ['NVIDIA RTX A6000'] } })
    expect(pricesFromCatalog(catalog, spot, 'x').podPerHour).toBe(0.33)
    expect(bidFromCatalog(catalog, spot)('NVIDIA RTX A6000')).toBe(0.33)
    expect(bidFromCatalog(catalog, parseCloudSettings({ pods: { bidPerGpu: 0.2 } }))('NVIDIA A40')).toBe(0.2)
  })
})

describe('RunPod GraphQL (interruptible pods)', () => {
  const gql = (key = KEY) => new RunpodGraphqlClient({ url: cloud.graphqlUrl, apiKey: key, clock, requestTimeoutMs: 2_000 })
  const rentSpec = { name: 'kitsumy-test1234-spot', imageName: 'runpod/worker-comfyui:5.5.1-flux1-dev', gpuTypeId: 'NVIDIA A40', gpuCount: 1, bidPerGpu: 0.44, ports: ['8188/http'], env: { KITSUMY_INSTALL_ID: 'test1234' }, cloudType: 'SECURE' as const, containerDiskInGb: 60 }

  it('rents with a bid, reads desiredStatus/runtime, terminates', async () => {
    const pod = await gql().rentInterruptible(rentSpec)
    expect(pod.costPerHr).toBe(0.44)
    expect(cloud.pods.get(pod.id)).toMatchObject({ interruptible: true, env: { KITSUMY_INSTALL_ID: 'test1234' } })
    expect(statusOfGqlPod((await gql().getPod(pod.id))!)).toBe('STARTING')
    clock.advance(cloud.bootMs)
    expect(statusOfGqlPod((await gql().getPod(pod.id))!)).toBe('RUNNING')
    cloud.preempt(pod.id)
    expect(statusOfGqlPod((await gql().getPod(pod.id))!)).toBe('EXITED')
    await gql().terminate(pod.id)
    await gql().terminate(pod.id)
    expect(await gql().getPod(pod.id)).toBeNull()
  })

  it('reads errors[] for no capacity, a low bid and no balance; HTTP 401 is auth', async () => {
    cloud.noCapacity = 'all'
    expect((await expectRejects(gql().rentInterruptible(rentSpec))).code).toBe('capacity')
    cloud.noCapacity = new Set()
    expect((await expectRejects(gql().rentInterruptible({ ...rentSpec, bidPerGpu: 0.1 }))).code).toBe('capacity')
    cloud.noBalance = true
    expect((await expectRejects(gql().rentInterruptible(rentSpec))).code).toBe('no_balance')
    expect((await expectRejects(gql('rpa_WRONG_0000000000').getPod('x'))).code).toBe('auth')
  })
})

describe('keys never leak', () => {
  it('a server that echoes the Authorization header has it scrubbed from the error', async () => {
    const echo = await listen((req, res) => sendJson(res, 500, { detail: `upstream said: ${req.headers.authorization}` }))
    try {
      const c = new RunpodRestClient({ baseUrl: `${echo.url}/v2`, apiKey: KEY, clock, requestTimeoutMs: 2_000, retryAttempts: 1 })
      const err = await expectRejects(c.listPods())
      expect(err.code).toBe('bad_response')
      expect(err.message).not.toContain(KEY)
      expect(err.message).toContain('[redacted]')
    } finally {
      await echo.close()
    }
  })

  it('redact() and Retry-After parsing', () => {
    expect(redact(`key ${KEY} and Bearer abc.def`, [KEY])).toBe('key [redacted] and Bearer [redacted]')
    expect(parseRetryAfter('12', 0)).toBe(12_000)
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60_000)
    expect(parseRetryAfter('soon', 0)).toBeNull()
  })
})
