import { EventClock } from './event-clock.ts'
import { SimPodCloud, SimReplicate, SimServerless } from './providers.ts'
import type { SimPod } from './providers.ts'
import { SCENARIO } from './scenario.ts'
import { streamFor } from './trace.ts'
import type { Trace } from './trace.ts'

// The analytic replay: the same simulated providers and the same line of images (each comic's first panel
// ahead, then first come first served), but a static dispatch rule in plain synchronous code instead of the
// real queue, router and pod manager. Fast enough to replay every configuration of the hindsight sweep.

export interface StaticConfig {
  // Pods up all day (billed all day), never shut down.
  alwaysOn: number
  // Rent more pods when more than this many images wait (one per 40 waiting, up to 8 in all); null: never.
  trigger: number | null
  // An on-demand pod idle this long is terminated.
  idleSeconds: number
  // Keep at most this many seconds of work waiting for pods; the rest goes to the overflow engine
  // (Infinity: wait for a pod whenever one is up or booting).
  spillSeconds: number
  overflow: 'serverless' | 'replicate'
}

export interface ReplayComic {
  arrival: number
  firstPanelSeconds: number | null
  finishSeconds: number | null
}

export interface ReplayResult {
  comics: ReplayComic[]
  usd: number
  imagesLost: number
  podsCreated: number
}

export const REPLICATE_ONLY: StaticConfig = { alwaysOn: 0, trigger: null, idleSeconds: 0, spillSeconds: 0, overflow: 'replicate' }
export const SERVERLESS_ONLY: StaticConfig = { alwaysOn: 0, trigger: null, idleSeconds: 0, spillSeconds: 0, overflow: 'serverless' }
// > 20 images → a pod, and wait for it; 5 min idle shutdown.
export const FIXED_RULE: StaticConfig = { alwaysOn: 0, trigger: SCENARIO.fixedRule.minImages, idleSeconds: SCENARIO.fixedRule.idleSeconds, spillSeconds: Infinity, overflow: 'serverless' }

interface Image { comic: number }

interface PodSlot {
  pod: SimPod
  alwaysOn: boolean
  // When the pod manager would see it ready: its first status poll (every 3 s) after the worker is up.
  readyAt: number
  busy: boolean
  idleTimer: unknown
}

const MS = 1000
const BOOT_POLL_MS = 3_000

export interface ReplayOptions {
  // Branch and bound for the sweep: give up (return null) once the day is sure to cost more than this.
  abortAboveUsd?: number
}

export function replay(trace: Trace, config: StaticConfig, opts: ReplayOptions = {}): ReplayResult | null {
  const clock = new EventClock(0)
  const spec = SCENARIO.pod
  const serverless = new SimServerless(clock, streamFor(trace, 'serverless'))
  const replicate = new SimReplicate(clock)
  const cloud = new SimPodCloud(clock, { boot: streamFor(trace, 'pod-boot'), preempt: streamFor(trace, 'pod-preempt') }, { interruptible: false })
  const comics: (ReplayComic & { done: number })[] = []
  const firsts: Image[] = []
  const rest: Image[] = []
  let firstHead = 0
  let restHead = 0
  const slots: PodSlot[] = []
  const dayEnd = SCENARIO.dayHours * 3600 * MS
  let remainingComics = trace.arrivals.length

  const waiting = () => firsts.length - firstHead + rest.length - restHead
  const take = (): Image => (firstHead < firsts.length ? firsts[firstHead++] : rest[restHead++])

  const finished = (img: Image) => {
    const c = comics[img.comic]
    const now = clock.now()
    c.done++
    c.firstPanelSeconds ??= (now - c.arrival) / MS
    if (c.done === trace.images) {
      c.finishSeconds = (now - c.arrival) / MS
      if (--remainingComics === 0) endOfWork()
    }
  }

  const rent = (alwaysOn: boolean) => {
    const pod = cloud.create({ booted: alwaysOn })
    const polls = Math.ceil((pod.readyAt - pod.createdAt) / BOOT_POLL_MS)
    const slot: PodSlot = { pod, alwaysOn, readyAt: pod.createdAt + polls * BOOT_POLL_MS, busy: false, idleTimer: null }
    slots.push(slot)
    if (!alwaysOn) clock.setTimeout(() => { armIdle(slot); kick() }, slot.readyAt - clock.now())
  }

  const armIdle = (slot: PodSlot) => {
    if (slot.alwaysOn || slot.busy) return
    clock.clearTimeout(slot.idleTimer)
    slot.idleTimer = clock.setTimeout(() => {
      slots.splice(slots.indexOf(slot), 1)
      cloud.terminate(slot.pod.id)
    }, config.idleSeconds * MS)
  }

  const onPod = (slot: PodSlot, img: Image) => {
    slot.busy = true
    clock.clearTimeout(slot.idleTimer)
    cloud.run(slot.pod.id, {
      tag: null,
      onDone: () => {
        slot.busy = false
        armIdle(slot)
        finished(img)
        kick()
      },
      onFail: () => { throw new Error('on-demand pods are never lost in the replay') },
    })
  }

  const overflow = (img: Image) => {
    const engine = config.overflow === 'serverless' ? serverless : replicate
    engine.submit({ tag: null, onDone: () => { finished(img); kick() }, onFail: () => { throw new Error('overflow engines do not fail in the replay') } })
  }

  const overflowFree = () => (config.overflow === 'serverless' ? serverless.freeCapacity : replicate.freeCapacity) > 0

  function kick(): void {
    const now = clock.now()
    if (config.trigger !== null && waiting() > config.trigger) {
      const wanted = Math.min(spec.maxPods, Math.max(config.alwaysOn, Math.ceil(waiting() / SCENARIO.imagesPerComic)))
      for (let have = slots.length; have < wanted; have++) rent(false)
    }
    while (waiting() > 0) {
      const free = slots.find((s) => !s.busy && s.readyAt <= now)
      if (free) {
        onPod(free, take())
        continue
      }
      if (!overflowFree()) break
      const serving = slots.filter((s) => s.readyAt <= now).length
      const coming = slots.length - serving
      if (serving + coming > 0 && config.spillSeconds === Infinity) break
      if (serving + coming > 0) {
        const boot = serving > 0 ? 0 : Math.min(...slots.map((s) => s.readyAt)) - now
        const waitSeconds = boot / MS + (waiting() * spec.secondsPerImage) / (serving + coming)
        if (waitSeconds <= config.spillSeconds) break
      }
      overflow(take())
    }
  }

  function endOfWork(): void {
    // Always-on pods are billed for the whole day, or until the last image if that is later.
    clock.setTimeout(() => {
      for (const s of slots.splice(0)) {
        clock.clearTimeout(s.idleTimer)
        cloud.terminate(s.pod.id)
      }
    }, Math.max(0, dayEnd - clock.now()))
  }

  const limit = opts.abortAboveUsd ?? Infinity
  const perPodMs = spec.usdPerHour / 3_600_000
  const floorPerImage = spec.secondsPerImage * MS * perPodMs
  let arrived = 0
  // A lower bound on the whole day: spent so far, what the always-on pods must still bill before the day
  // ends, and every image not yet drawn beyond what those pods could draw, at the pod's bare per-image price.
  const surelyAbove = () => {
    const left = Math.max(0, dayEnd - clock.now())
    const undrawn = (trace.arrivals.length - arrived) * trace.images + waiting()
    const alwaysOnCapacity = (config.alwaysOn * left) / (spec.secondsPerImage * MS)
    const bound = serverless.usd + replicate.usd + cloud.usd + cloud.openUsd()
      + config.alwaysOn * perPodMs * left + Math.max(0, undrawn - alwaysOnCapacity) * floorPerImage
    return bound > limit
  }
  let aborted = false

  for (let i = 0; i < config.alwaysOn; i++) rent(true)
  if (surelyAbove()) return null
  trace.arrivals.forEach((at, i) => {
    clock.setTimeout(() => {
      if (aborted || (i % 4 === 0 && surelyAbove())) {
        aborted = true
        return
      }
      arrived++
      comics.push({ arrival: clock.now(), firstPanelSeconds: null, finishSeconds: null, done: 0 })
      firsts.push({ comic: i })
      for (let k = 1; k < trace.images; k++) rest.push({ comic: i })
      kick()
    }, at * MS)
  })
  if (trace.arrivals.length === 0) endOfWork()
  clock.run()
  if (aborted || surelyAbove()) return null
  return {
    comics: comics.map(({ done: _done, ...c }) => c),
    usd: serverless.usd + replicate.usd + cloud.usd,
    imagesLost: comics.reduce((a, c) => a + trace.images - c.done, 0),
    podsCreated: cloud.stats.created,
  }
}
