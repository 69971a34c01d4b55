import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/platform/clock.ts'
import type { Clock } from '../../src/platform/clock.ts'
import { PodManager, isOurPod } from '../../src/cloud/pod-manager.ts'
import type { PodBill, PodLease, PodNotice } from '../../src/cloud/pod-manager.ts'
import { interruptibleBackend, onDemandBackend } from '../../src/cloud/pod-backend.ts'
import { RunpodRestClient } from '../../src/cloud/runpod-rest.ts'
import { RunpodGraphqlClient } from '../../src/cloud/runpod-graphql.ts'
import { bidFromCatalog } from '../../src/cloud/prices.ts'
import { parseCloudSettings } from '../../src/cloud/settings.ts'
import type { CloudSettingsInput } from '../../src/cloud/settings.ts'
import { localSession, type SessionOwner } from '../../src/platform/session.ts'
import { FakeRunpodCloud } from '../fakes/runpod-pods.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { EventLog, KillableClock, drive, settle, until } from './helpers.ts'

const KEY = 'rpa_SECRETKEY_0123456789abcdef'
const INSTALL = 'install42'

let clock: ManualClock
let cloud: FakeRunpodCloud
const managers: PodManager[] = []

afterEach(async () => {
  for (const m of managers.splice(0)) await drive(clock, m.shutdown())
  await cloud.close()
})

interface Rig {
  manager: PodManager
  events: EventLog
  notices: PodNotice[]
  bills: PodBill[]
  rest: RunpodRestClient
}

async function rig(pods: CloudSettingsInput['pods'] = {}, opts: { managerClock?: Clock; keep?: boolean; gql?: boolean; session?: SessionOwner } = {}): Promise<Rig> {
  if (!cloud) throw new Error('start the cloud first')
  const settings = parseCloudSettings({
    urls: { runpodRest: cloud.restUrl, runpodGraphql: cloud.graphqlUrl, podProxy: cloud.proxyTemplate },
    pods: { maxPods: 1, bootTimeoutSeconds: 300, ...pods },
  })
  const mclock = opts.managerClock ?? clock
  const rest = new RunpodRestClient({ baseUrl: settings.urls.runpodRest, apiKey: KEY, clock: mclock, requestTimeoutMs: 2_000 })
  const backend = opts.gql
    ? interruptibleBackend(new RunpodGraphqlClient({ url: settings.urls.runpodGraphql, apiKey: KEY, clock: mclock, requestTimeoutMs: 2_000 }), bidFromCatalog(await rest.listGpuTypes(), settings))
    : onDemandBackend(rest)
  const events = new EventLog()
  const bills: PodBill[] = []
  const manager = new PodManager({ settings, backend, rest, clock: mclock, installId: INSTALL, workerToken: 'worker-token-xyz', emit: events.emit, onBilled: (b) => bills.push(b), session: opts.session })
  const notices: PodNotice[] = []
  manager.onNotice((n) => notices.push(n))
  if (opts.keep !== false) managers.push(manager)
  return { manager, events, notices, bills, rest }
}

async function startCloud(over: Partial<{ bootMs: number; warmupMs: number; genMs: number }> = {}): Promise<void> {
  clock = new ManualClock()
  cloud = await new FakeRunpodCloud({ clock, log: new GenerationLog(), apiKey: KEY, bootMs: 60_000, warmupMs: 20_000, genMs: 10_000, ...over }).start()
}

describe('pod manager lifecycle', () => {
  it('boots a pod and calls it ready only when the worker answers (running ≠ ready)', async () => {
    await startCloud()
    const { manager, events } = await rig()
    const t0 = clock.now()
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_booting').length === 1))
    const [booting] = events.of('pod_booting')
    expect(booting.etaSeconds).toBe(240)
    expect(manager.status()).toMatchObject({ booting: 1, serving: 0 })
    await drive(clock, until(() => cloud.status(cloud.pods.get(booting.podId)!) === 'RUNNING'))
    expect(manager.podState(booting.podId)).toBe('booting')
    await drive(clock, until(() => events.of('pod_ready').length === 1))
    expect(clock.now() - t0).toBeGreaterThanOrEqual(80_000)
    expect(manager.status()).toMatchObject({ serving: 1, freeSlots: 2, booting: 0 })
    const pod = cloud.pods.get(booting.podId)!
    expect(pod.name).toMatch(/^kitsumy-install42-[a-z0-9]+$/)
    expect(pod.env).toMatchObject({ KITSUMY_INSTALL_ID: INSTALL, KITSUMY_WORKER_TOKEN: 'worker-token-xyz' })
  })

  it('grows the fleet to the size asked for, up to maxPods', async () => {
    await startCloud()
    const { manager } = await rig({ maxPods: 3 })
    manager.ensure(1)
    await drive(clock, until(() => cloud.pods.size === 1))
    manager.ensure(3)
    await drive(clock, until(() => cloud.pods.size === 3))
    manager.ensure(500)
    await settle(clock)
    expect(cloud.billing()).toHaveLength(3)
  })

  it('"no capacity" (400) and "no access" (403) move on to the next GPU type', async () => {
    await startCloud()
    cloud.noCapacity = new Set(['NVIDIA A40'])
    cloud.forbidden.add('NVIDIA RTX A6000')
    const { manager, events } = await rig({ maxPods: 1 })
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_booting').length === 1))
    expect([...cloud.pods.values()].map((p) => p.gpuId)).toEqual(['NVIDIA L40S'])
    expect(cloud.calls.create).toBe(3)
  })

  it('no capacity on every GPU type: a notice, a cooldown, nothing billing', async () => {
    await startCloud()
    cloud.noCapacity = 'all'
    const { manager, notices } = await rig()
    manager.ensure(30)
    await drive(clock, until(() => notices.length === 1))
    expect(notices[0]).toMatchObject({ kind: 'no_capacity' })
    expect(notices[0].reason).toContain('NVIDIA A40')
    expect(cloud.calls.create).toBe(4)
    expect(manager.status().canRent).toBe(false)
    manager.ensure(30)
    await settle(clock)
    expect(cloud.calls.create).toBe(4)
    expect(cloud.billing()).toEqual([])
  })

  it('402 stops renting for good and says so', async () => {
    await startCloud()
    cloud.noBalance = true
    const { manager, events, notices } = await rig()
    manager.ensure(30)
    await drive(clock, until(() => notices.length === 1))
    expect(notices[0].kind).toBe('disabled')
    expect(events.of('error')[0]).toMatchObject({ code: 'no_balance' })
    expect(manager.status().disabledReason).toContain('402')
    clock.advance(3_600_000)
    manager.ensure(30)
    await settle(clock)
    expect(cloud.calls.create).toBe(1)
  })

  it('a pod that dies while booting is terminated and reported', async () => {
    await startCloud()
    cloud.bootFailure = 'crash'
    const { manager, events, notices } = await rig({ maxPods: 1 })
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_terminated').length === 1))
    expect(events.of('pod_terminated')[0].reason).toContain('exited while booting')
    expect(notices.map((n) => n.kind)).toEqual(['boot_failed'])
    expect(events.of('pod_ready')).toEqual([])
    expect(cloud.billing()).toEqual([])
  })

  it('a worker that never answers hits the boot timeout', async () => {
    await startCloud()
    cloud.bootFailure = 'never-ready'
    const { manager, events } = await rig({ maxPods: 1, bootTimeoutSeconds: 300 })
    const t0 = clock.now()
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_terminated').length === 1))
    expect(clock.now() - t0).toBeGreaterThanOrEqual(300_000)
    expect(events.of('pod_terminated')[0].reason).toContain('not ready after 300 s')
    expect(cloud.billing()).toEqual([])
  })

  it('an idle pod is terminated after the idle time, not before, and its time is billed', async () => {
    await startCloud()
    const { manager, events, bills } = await rig({ idleMinutes: 5 })
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_ready').length === 1))
    const lease = manager.tryAcquire()!
    expect(manager.podState(lease.podId)).toBe('busy')
    clock.advance(10 * 60_000)
    await settle(clock)
    expect(cloud.billing()).toHaveLength(1)
    lease.release()
    expect(manager.podState(lease.podId)).toBe('ready')
    clock.advance(4 * 60_000 + 50_000)
    await settle(clock)
    expect(cloud.billing()).toHaveLength(1)
    await drive(clock, until(() => events.of('pod_terminated').length === 1))
    expect(events.of('pod_terminated')[0].reason).toBe('idle for 5 min')
    expect(cloud.billing()).toEqual([])
    expect(bills).toHaveLength(1)
    expect(bills[0].usd).toBeCloseTo((bills[0].seconds * 0.44) / 3600, 8)
  })

  it('the work sets the keep-alive (never past the idle setting) and the fleet it wants: a pod beyond it ends once idle', async () => {
    await startCloud()
    const { manager, events } = await rig({ maxPods: 2, idleMinutes: 5 })
    manager.plan(2, 3_600)
    manager.ensure(2)
    await drive(clock, until(() => events.of('pod_ready').length === 2))
    const a = manager.tryAcquire()!
    const b = manager.tryAcquire()!
    expect(a.podId).not.toBe(b.podId)
    // The work in hand now fits in one pod: the first pod to go idle ends at once, the other waits out the keep-alive.
    manager.plan(1, 40)
    b.release()
    await drive(clock, until(() => events.of('pod_terminated').length === 1))
    expect(events.of('pod_terminated')[0]).toMatchObject({ podId: b.podId, reason: 'not needed: the work in hand fits in 1 pod(s)' })
    const releasedAt = clock.now()
    a.release()
    await drive(clock, until(() => events.of('pod_terminated').length === 2))
    expect(events.of('pod_terminated')[1]).toMatchObject({ podId: a.podId, reason: 'idle for 40 s' })
    expect(clock.now() - releasedAt).toBeGreaterThanOrEqual(40_000)
    expect(clock.now() - releasedAt).toBeLessThan(60_000)
    // Asked for an hour, kept for the user's 5 minutes at most.
    manager.plan(1, 3_600)
    manager.ensure(1)
    await drive(clock, until(() => events.of('pod_ready').length === 3))
    await drive(clock, until(() => events.of('pod_terminated').length === 3))
    expect(events.of('pod_terminated')[2].reason).toBe('idle for 5 min')
    expect(cloud.billing()).toEqual([])
  })

  it('preemption: EXITED is noticed by polling, in-flight leases are aborted, the pod is terminated', async () => {
    await startCloud()
    const { manager, events, notices } = await rig({ maxPods: 1 })
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_ready').length === 1))
    const lease = manager.tryAcquire()!
    const t0 = clock.now()
    cloud.preempt(lease.podId)
    await drive(clock, until(() => events.of('pod_terminated').length === 1))
    expect(clock.now() - t0).toBeLessThanOrEqual(5_000 + 1_000)
    expect(lease.signal.aborted).toBe(true)
    expect(events.of('pod_preemption_warning')).toEqual([{ type: 'pod_preemption_warning', podId: lease.podId }])
    expect(notices.map((n) => n.kind)).toEqual(['lost'])
    expect(manager.status()).toMatchObject({ serving: 0, lostRecently: true, canRent: false })
    expect(cloud.billing()).toEqual([])
  })

  it('a worker that stops answering while RunPod still says RUNNING is lost after a few failed checks', async () => {
    await startCloud()
    const { manager, events } = await rig({ maxPods: 1 })
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_ready').length === 1))
    const [{ podId }] = events.of('pod_ready')
    cloud.pods.get(podId)!.worker.kill()
    await drive(clock, until(() => events.of('pod_terminated').length === 1))
    expect(events.of('pod_terminated')[0].reason).toBe('the worker stopped answering')
    expect(manager.podState(podId)).toBe('offline')
  })

  it('the pod line serves first panels, then images due by their deadline, then comics running late, each in arrival order', async () => {
    await startCloud()
    const { manager, events } = await rig({ maxPods: 1, slotsPerPod: 1 })
    manager.ensure(1)
    await drive(clock, until(() => events.of('pod_ready').length === 1))
    let lease = manager.tryAcquire()!
    const served: string[] = []
    const waits = new Map<string, Promise<PodLease | null>>()
    for (const [name, place] of [['late1', 'late'], ['a', 'normal'], ['b', 'normal'], ['first1', 'first'], ['late2', 'late'], ['c', 'normal'], ['first2', 'first']] as const) {
      waits.set(name, manager.acquire(new AbortController().signal, place).then((l) => {
        served.push(name)
        return l
      }))
    }
    while (served.length < waits.size) {
      lease.release()
      await settle(clock)
      lease = (await waits.get(served.at(-1)!))!
    }
    lease.release()
    expect(served).toEqual(['first1', 'first2', 'a', 'b', 'c', 'late1', 'late2'])
  })

  it('a waiter gets null when the only pod fails to boot', async () => {
    await startCloud()
    cloud.bootFailure = 'crash'
    const { manager } = await rig({ maxPods: 1 })
    manager.ensure(30)
    const lease = await drive(clock, manager.acquire(new AbortController().signal))
    expect(lease).toBeNull()
  })

  it('lists each pod with what it has billed and when it goes idle; "shut down now" ends them all, busy ones too, and rents none for the cooldown', async () => {
    await startCloud()
    const { manager, events, bills } = await rig({ maxPods: 2, idleMinutes: 5, retryAfterFailureSeconds: 600 })
    const start = clock.now()
    manager.ensure(48)
    await drive(clock, until(() => events.of('pod_booting').length === 2))
    expect(manager.list().map((p) => p.state)).toEqual(['booting', 'booting'])
    await drive(clock, until(() => events.of('pod_ready').length === 2))
    const lease = manager.tryAcquire()!
    const [busy, idle] = [...manager.list()].sort((a) => (a.podId === lease.podId ? -1 : 1))
    expect(busy).toMatchObject({ podId: lease.podId, state: 'busy', idleEndsAt: null, usdPerHour: 0.44, since: start })
    expect(busy.billedUsd).toBeCloseTo(((clock.now() - start) / 3_600_000) * 0.44, 9)
    expect(idle).toMatchObject({ state: 'idle', idleEndsAt: expect.any(Number) })
    expect(idle.idleEndsAt! - clock.now()).toBeLessThanOrEqual(5 * 60_000)
    expect(await drive(clock, manager.stopAll('shut down by you'))).toEqual({ stopped: 2, pausedSeconds: 600 })
    expect(lease.signal.aborted).toBe(true)
    expect(cloud.billing()).toEqual([])
    expect(manager.list()).toEqual([])
    expect(events.of('pod_terminated').map((e) => e.reason)).toEqual(['shut down by you', 'shut down by you'])
    expect(bills).toHaveLength(2)
    // Asked for again right away, no pod is rented until the cooldown has passed.
    expect(manager.status().canRent).toBe(false)
    manager.ensure(48)
    await settle(clock)
    expect(cloud.pods.size).toBe(2)
    expect([...cloud.pods.values()].every((p) => cloud.status(p) === 'TERMINATED')).toBe(true)
  })

  it('a pod RunPod fails to terminate stays listed, billing, until a retry goes through; its bill runs to the real end', async () => {
    await startCloud()
    const { manager, events, bills } = await rig({ idleMinutes: 5 })
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_ready').length === 1))
    const since = manager.list()[0].since
    cloud.serverErrorsNext = 1_000
    const stoppedAt = clock.now()
    expect((await drive(clock, manager.stopAll('shut down by you'))).stopped).toBe(1)
    expect(manager.list()).toMatchObject([{ state: 'ending', usdPerHour: 0.44 }])
    expect(cloud.billing()).toHaveLength(1)
    expect(bills).toEqual([])
    expect(events.of('pod_terminated')).toEqual([])
    clock.advance(120_000)
    await settle(clock)
    expect(manager.list()[0].billedUsd).toBeGreaterThan(manager.list()[0].usdPerHour * (clock.now() - stoppedAt) / 3_600_000)
    cloud.serverErrorsNext = 0
    await drive(clock, until(() => events.of('pod_terminated').length === 1))
    expect(events.of('pod_terminated')[0].reason).toBe('shut down by you')
    expect(manager.list()).toEqual([])
    expect(cloud.billing()).toEqual([])
    expect(bills).toHaveLength(1)
    // Billed up to RunPod's confirmation, not to the first failed attempt.
    expect(bills[0].seconds * 1000).toBeGreaterThanOrEqual(stoppedAt + 120_000 - since)
  })

  it('shutdown terminates every pod, booting ones included', async () => {
    await startCloud()
    const { manager, events } = await rig({ maxPods: 2 })
    manager.ensure(48)
    await drive(clock, until(() => events.of('pod_booting').length === 2))
    await drive(clock, manager.shutdown())
    expect(cloud.billing()).toEqual([])
    expect(events.of('pod_terminated').map((e) => e.reason)).toEqual(['app quit', 'app quit'])
  })

  it('a crash while a pod runs is followed by a reap on the next start; other pods are left alone', async () => {
    await startCloud()
    const appClock = new KillableClock(clock)
    const first = await rig({ maxPods: 1 }, { managerClock: appClock, keep: false })
    first.manager.ensure(30)
    await drive(clock, until(() => first.events.of('pod_ready').length === 1))
    const [{ podId }] = first.events.of('pod_ready')
    appClock.crash()
    const foreign = cloud.seedPod({ name: 'kitsumy-someoneelse-abc1', env: { KITSUMY_INSTALL_ID: 'someoneelse' } })
    const users = cloud.seedPod({ name: 'my-training-pod' })
    clock.advance(3_600_000)
    expect(cloud.billing().map((p) => p.id)).toContain(podId)

    const next = await rig({ maxPods: 1 })
    const reaped = await drive(clock, next.manager.reapOrphans())
    expect(reaped).toEqual([podId])
    expect(next.events.of('pod_terminated')).toEqual([{ type: 'pod_terminated', podId, reason: 'left running by an earlier session' }])
    expect(cloud.billing().map((p) => p.id).sort()).toEqual([foreign.id, users.id].sort())
  })

  it('leaves alone the pods another studio still running on the same library rented, and tags its own', async () => {
    await startCloud()
    const session: SessionOwner = { owner: 'box:100', isAlive: (owner) => owner === 'box:100' || owner === 'box:200' }
    const tag = (owner?: string) => ({ KITSUMY_INSTALL_ID: INSTALL, ...(owner ? { KITSUMY_SESSION_OWNER: owner } : {}) })
    const running = cloud.seedPod({ name: `kitsumy-${INSTALL}-run1`, env: tag('box:200') })
    const crashed = cloud.seedPod({ name: `kitsumy-${INSTALL}-dead1`, env: tag('box:300') })
    const older = cloud.seedPod({ name: `kitsumy-${INSTALL}-old1`, env: tag() })
    const { manager, events } = await rig({ maxPods: 1 }, { session })
    expect((await drive(clock, manager.reapOrphans())).sort()).toEqual([crashed.id, older.id].sort())
    expect(cloud.billing().map((p) => p.id)).toEqual([running.id])
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_booting').length === 1))
    const mine = [...cloud.pods.values()].find((p) => p.id === events.of('pod_booting')[0].podId)!
    expect(mine.env.KITSUMY_SESSION_OWNER).toBe('box:100')
  })

  it('a session owner is alive while its process runs on this machine', async () => {
    const here = localSession('box', process.pid)
    expect(here.owner).toBe(`box:${process.pid}`)
    expect(here.isAlive(`box:${process.pid}`)).toBe(true)
    const { spawnSync } = await import('node:child_process')
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!
    expect(here.isAlive(`box:${gone}`)).toBe(false)
    expect(here.isAlive(`other-box:${process.pid}`)).toBe(false)
    expect(here.isAlive('box:not-a-pid')).toBe(false)
    expect(here.isAlive('garbage')).toBe(false)
  })

  it('recognises its pods by env tag, else by name', () => {
    expect(isOurPod({ name: 'kitsumy-install42-abc', env: { KITSUMY_INSTALL_ID: 'install42' } }, INSTALL)).toBe(true)
    expect(isOurPod({ name: 'kitsumy-install42-abc', env: { KITSUMY_INSTALL_ID: 'other' } }, INSTALL)).toBe(false)
    expect(isOurPod({ name: 'kitsumy-install42-abc', env: null }, INSTALL)).toBe(true)
    expect(isOurPod({ name: 'kitsumy-install42x-abc', env: null }, INSTALL)).toBe(false)
    expect(isOurPod({ name: 'kitsumy-7f3a-b2c9-mq1x0', env: null }, '7f3a-b2c9')).toBe(true)
    expect(isOurPod({ name: 'kitsumy-7f3a-b2c9-mq1x0', env: null }, '7f3a')).toBe(false)
    expect(isOurPod({ name: 'my-pod', env: {} }, INSTALL)).toBe(false)
  })
})

describe('interruptible capacity class (legacy GraphQL)', () => {
  it('rents with a bid from the catalog, watches it through GraphQL, and notices preemption', async () => {
    await startCloud()
    const { manager, events, notices } = await rig({ maxPods: 1, capacityClass: 'interruptible' }, { gql: true })
    manager.ensure(30)
    await drive(clock, until(() => events.of('pod_ready').length === 1))
    const [{ podId }] = events.of('pod_ready')
    expect(cloud.pods.get(podId)).toMatchObject({ interruptible: true, costPerHr: 0.44 })
    expect(cloud.calls.create).toBe(0)
    cloud.preempt(podId)
    await drive(clock, until(() => events.of('pod_terminated').length === 1))
    expect(notices.map((n) => n.kind)).toEqual(['lost'])
    expect(cloud.billing()).toEqual([])
  })

  it('spot with no capacity anywhere falls through every GPU type', async () => {
    await startCloud()
    cloud.noCapacity = 'all'
    const { manager, notices } = await rig({ capacityClass: 'interruptible' }, { gql: true })
    manager.ensure(30)
    await drive(clock, until(() => notices.length === 1))
    expect(notices[0].kind).toBe('no_capacity')
  })
})
