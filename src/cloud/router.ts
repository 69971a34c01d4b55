import type { EngineId } from '../contract/image.ts'
import type { FleetStatus } from './pod-manager.ts'
import type { CloudPrices } from './prices.ts'

// Which engine draws the next image, and why. Pure: the dispatcher gathers the facts, this decides.

export interface Providers {
  pod: boolean
  serverless: boolean
  runpodFlux: boolean
  replicate: boolean
  local: boolean
}

export interface RouteEstimates {
  podBootSeconds: number
  podSecondsPerImage: number
  serverlessSecondsPerImage: number
}

export interface RouteInput {
  // Images waiting for an engine (not yet started anywhere), this one included.
  remaining: number
  // Images already in line for a pod slot that start before this one (a first panel waits only behind first
  // panels, and no image due by its deadline waits behind a comic let run late).
  podLine: number
  // Images of comics let run late, waiting behind the rest of the line.
  lateLine: number
  // Images of this image's comic not yet sent to an engine or a pod line, this one included.
  comicWaiting: number
  // This urgent comic may finish after its deadline on the pods rather than spill to serverless: it runs late
  // already, or the late allowance has room for one more (late-allowance.ts).
  lateAllowed: boolean
  // It runs late already.
  lateRunning: boolean
  urgent: boolean
  // The first panel of its comic: it goes wherever the comic's first picture comes soonest.
  firstOfComic: boolean
  // How long this image has waited since it was asked for (with its comic, for a panel of a comic being drawn).
  waitedSeconds: number
  // Images requested per hour, measured over the last twelve hours (demand.ts).
  demandImagesPerHour: number
  budgetLeftUsd: number | null
  providers: Providers
  fleet: Pick<FleetStatus, 'serving' | 'freeSlots' | 'leased' | 'booting' | 'bootEtaSeconds' | 'canRent' | 'lostRecently'>
  prices: CloudPrices
  estimates: RouteEstimates
  // The user's idle shutdown: the longest a pod is kept after its last image, and that time is paid too.
  idleSeconds: number
  megapixels: number
}

export interface RouteDecision {
  engine: EngineId
  // Ask the pod manager to grow the fleet to `pods`.
  startPod: boolean
  pods: number
  // How long a pod serving this work is kept once idle.
  keepAliveSeconds: number
  reason: string
  // Images above which renting a pod is cheaper than paying per image.
  breakEven: number
  // The image waits for a pod behind every comic still on time, and its comic finishes after its deadline.
  late: boolean
}

type HostedEngine = Extract<EngineId, 'serverless' | 'runpod-flux' | 'replicate'>

export interface HostedOption {
  engine: HostedEngine
  perImage: number
}

// Configured per-image engines, cheapest first.
export function hostedOptions(input: Pick<RouteInput, 'providers' | 'prices' | 'estimates' | 'megapixels'>): HostedOption[] {
  const out: HostedOption[] = []
  const { providers: p, prices, estimates } = input
  if (p.serverless) out.push({ engine: 'serverless', perImage: estimates.serverlessSecondsPerImage * prices.serverlessPerSecond })
  if (p.runpodFlux) out.push({ engine: 'runpod-flux', perImage: input.megapixels * prices.fluxPerMegapixel })
  if (p.replicate) out.push({ engine: 'replicate', perImage: prices.replicatePerImage })
  return out.sort((a, b) => a.perImage - b.perImage)
}

export interface PodEconomics {
  // Paid whatever the batch size: booting, then the idle wait before shutdown.
  overhead: number
  perImage: number
}

export function podEconomics(input: Pick<RouteInput, 'prices' | 'estimates' | 'idleSeconds'>): PodEconomics {
  const perSecond = input.prices.podPerHour / 3600
  return {
    overhead: (input.estimates.podBootSeconds + input.idleSeconds) * perSecond,
    perImage: input.estimates.podSecondsPerImage * perSecond,
  }
}

// Rent-or-buy: a pod pays once its per-image saving has covered its fixed overhead.
export function breakEvenImages(pod: PodEconomics, hostedPerImage: number | null): number {
  if (hostedPerImage === null) return 0
  const saving = hostedPerImage - pod.perImage
  return saving <= 0 ? Infinity : pod.overhead / saving
}

const usd = (n: number) => `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}`

// Service levels, as the economics bench (issue 6) measures them:
// 1. Waiting is free for a comic that is not urgent, and a pod draws at a third of serverless' price: boot
//    one and wait for it. Putting the whole comic on serverless while the pod boots would finish it before
//    the pod is up, and the pod's boot would be pure loss; only the first panel starts at once.
// 2. Urgent work pays for a pod only if the pod stays busy. Serverless takes the first panels and the
//    bursts, so a pod is rented only when recent demand would keep a GPU busy: the backlog in hand says little,
//    since at a steady 500 comics a day two comics seldom overlap, yet the pods stay busy on those that follow.
//    Each image waits for a pod only while it is still done by its deadline, counted from when it was asked
//    for; the rest go to serverless at once, so they are done in time too. A comic the late allowance lets
//    run late waits for the pods instead, behind every comic still on time, and within the relaxed deadline.

// The service levels the routing is measured against (bench/economics.ts): urgent comics within 5 min, others within 30.
export const DEADLINE_SECONDS = { urgent: 300, relaxed: 1_800 } as const
// Without urgency the next comic can wait for a fresh boot: an idle pod goes soon after its last image
// (not at once, so the gap between two images of one comic never ends it).
export const RELAXED_KEEP_ALIVE_SECONDS = 30
// A comic is let run late only to keep this many of its images off serverless: the allowance is a few comics in a
// hundred, so it goes to the bursts that would spill most.
export const LATE_MIN_IMAGES = 20
// An image may wait for a pod while its comic still ends with 30 % of the deadline to spare.
const WAIT_SHARE = 0.7
// A comic let run late still finishes within the relaxed service level: an image of it waits for a pod until five
// minutes before that, then goes to serverless. Five minutes is twice what serverless' five workers need to draw
// a whole comic of 40 from a cold start (8 rounds of 12 s, and up to 45 s to start).
export const LATE_LIMIT_SECONDS = DEADLINE_SECONDS.relaxed
export const LATE_WAIT_SECONDS = LATE_LIMIT_SECONDS - 300
// An urgent image waits for a pod while it is still done by its deadline with 7 % to spare. Its own wait is
// known closely (the images ahead of it, in line and on the pods, over the pods serving), so the margin only
// covers a first panel cutting in or a pod lost meanwhile.
const URGENT_WAIT_SHARE = 0.93
// A pod boots in about the time expected, give or take a tenth (the bench's 240–300 s around 270): an urgent image
// waiting for a pod still booting counts on the slow end, since the boot is most of its wait.
const BOOT_SPREAD = 0.1
// A comic's first picture waits for a pod only if the pod delivers it about as soon as a serverless worker
// would (a cold start alone is 15–45 s).
export const FIRST_PICTURE_SECONDS = 30
// Urgent pods need recent demand worth one and a half GPUs: serverless takes the first panels and the
// bursts, so a pod sees only part of the load, and one busy hour must not rent pods for a quiet day.
const SUSTAINED_GPUS = 1.5
const FLEET_HYSTERESIS = 0.75
const SPARE_PER_SWING = 0.5

// Square-root staffing: pods for the mean load, plus half a pod per unit of its Poisson swing (√load GPUs), so a
// pod is added once the spill it would take back pays for its hours. Arrivals are random and each comic is a
// burst of 40 images, so the pods a load pays for grow slower than the load: filling pods to a fixed 70 %
// rented a fifth pod at 3.2 GPUs, where it costs more than the spill it saves (break-evens measured over
// Poisson days at 250–900 comics/day: 2→3 pods at 1.8 GPUs, 3→4 at 2.7, 4→5 at 3.6, 5→6 at 4.6).
export const urgentPods = (load: number): number => load + SPARE_PER_SWING * Math.sqrt(load)

// A warm pod is what makes urgent work cheap (rebooting means 4–5 minutes at serverless prices), so urgent
// work keeps it for the user's whole idle setting.
export function keepAliveSeconds(input: Pick<RouteInput, 'urgent' | 'idleSeconds'>): number {
  return input.urgent ? input.idleSeconds : Math.min(input.idleSeconds, RELAXED_KEEP_ALIVE_SECONDS)
}

// Pods for the work in hand. Relaxed: no more than finish the backlog inside the deadline, each past
// break-even on its share. Urgent: the boot outlasts the deadline, so pods serve the load that follows, and
// serverless takes the bursts above what they hold.
function fleetSize(input: RouteInput, n: number, breakEven: number, load: number, deadline: number): number {
  const { estimates } = input
  const paying = Number.isFinite(breakEven) ? Math.floor(n / Math.max(1, breakEven)) : 0
  if (input.urgent) {
    // The measured demand wanders by a tenth or more from hour to hour: the fleet follows it only once it calls
    // for three quarters of a pod more or less, since each change costs a boot and a pod idling its keep-alive.
    const desired = urgentPods(load)
    const current = input.fleet.serving + input.fleet.booting
    if (current > 0 && Math.abs(desired - current) < FLEET_HYSTERESIS) return current
    return Math.max(1, Math.round(desired))
  }
  const window = WAIT_SHARE * deadline - estimates.podBootSeconds
  return Math.max(1, Math.min(paying, Math.ceil((n * estimates.podSecondsPerImage) / window)))
}

export function route(input: RouteInput): RouteDecision {
  const n = Math.max(1, input.remaining)
  const { fleet, providers, estimates } = input
  const deadline = input.urgent ? DEADLINE_SECONDS.urgent : DEADLINE_SECONDS.relaxed
  const keepAlive = keepAliveSeconds(input)
  const budget = input.budgetLeftUsd
  const all = hostedOptions(input)
  const affordable = budget === null ? all : all.filter((o) => o.perImage <= budget)
  const best = affordable[0] ?? null
  const pod = podEconomics({ ...input, idleSeconds: keepAlive })
  const breakEven = breakEvenImages(pod, all[0]?.perImage ?? null)
  const podAffordable = budget === null || budget >= pod.overhead + n * pod.perImage
  const load = (input.demandImagesPerHour * estimates.podSecondsPerImage) / 3600
  const sustained = !input.urgent || load >= SUSTAINED_GPUS
  const paysOff = input.urgent ? sustained : n > breakEven
  const wantPod = providers.pod && fleet.canRent && !fleet.lostRecently && paysOff && podAffordable
  const podsWanted = fleetSize(input, n, breakEven, load, deadline)
  const decide = (engine: EngineId, reason: string, late = false): RouteDecision => ({ engine, startPod: wantPod, pods: podsWanted, keepAliveSeconds: keepAlive, reason, breakEven, late })

  if (providers.local) return { engine: 'comfy-local', startPod: false, pods: 0, keepAliveSeconds: keepAlive, reason: 'your own ComfyUI draws it at no cost', breakEven, late: false }
  if (providers.pod && fleet.freeSlots > 0) return decide('pod', 'a pod is ready and its time is already paid for')
  if (input.firstOfComic && best) {
    const picture = providers.pod && fleet.serving > 0 ? ((input.podLine + fleet.serving) * estimates.podSecondsPerImage) / fleet.serving : Infinity
    if (picture <= FIRST_PICTURE_SECONDS) return decide('pod', `the first panel is drawn on a pod in about ${Math.round(picture)} s`)
    return decide(best.engine, `the first panel starts on ${best.engine} at once, so the comic shows a picture within seconds`)
  }

  const pods = fleet.serving + fleet.booting + (wantPod && fleet.serving + fleet.booting === 0 ? 1 : 0)
  if (pods > 0 && providers.pod && input.urgent && best) {
    // Booting pods count only once none serves: then the line starts when the first is up.
    const ahead = input.podLine + fleet.leased
    const [start, drawing] = fleet.serving > 0 ? [0, fleet.serving] : [(fleet.bootEtaSeconds ?? estimates.podBootSeconds) + BOOT_SPREAD * estimates.podBootSeconds, pods]
    const spi = estimates.podSecondsPerImage
    const done = input.waitedSeconds + start + ((ahead + 1) * spi) / drawing
    const onTime = done <= URGENT_WAIT_SHARE * deadline
    // Running late, the comic waits behind every comic still on time, so its images already in line go first.
    const lateDone = done + (input.lateLine * spi) / drawing
    if (fleet.serving > 0 && lateDone <= LATE_WAIT_SECONDS && input.lateAllowed) {
      // The comic's images still to send that the pods would not finish in time: what running late saves (a pod
      // serves, so the line starts now).
      const fit = Math.max(0, Math.floor(((URGENT_WAIT_SHARE * deadline - input.waitedSeconds) * drawing) / spi) - ahead)
      const spill = Math.max(0, input.comicWaiting - fit)
      if (input.lateRunning || spill >= LATE_MIN_IMAGES) {
        const why = input.lateRunning ? 'its comic runs late' : `${spill} image(s) of its comic would miss the ${deadline} s deadline`
        return decide('pod', `${why}: the comic finishes late on the pods, behind the comics still on time (a few urgent comics in a hundred may, to save serverless' price)`, true)
      }
    }
    if (onTime) {
      return decide('pod', `${ahead} image(s) ahead on ${drawing} pod(s): done about ${Math.round(done)} s after it was asked for, inside the ${deadline} s deadline`)
    }
    return decide(best.engine, `on a pod it would be done about ${Math.round(done)} s after it was asked for: ${best.engine} takes it to keep the ${deadline} s deadline`)
  }
  if (pods > 0 && providers.pod) {
    const boot = fleet.serving > 0 ? 0 : (fleet.bootEtaSeconds ?? estimates.podBootSeconds)
    const wait = boot + (n * estimates.podSecondsPerImage) / pods
    const booting = fleet.serving > 0 ? '' : `a pod is booting (ready in about ${Math.round(boot)} s): `
    if (wait <= WAIT_SHARE * deadline || !best) {
      return decide('pod', `${booting}${pods} pod(s) clear ${n} waiting image(s) in about ${Math.round(wait)} s, inside the ${deadline} s deadline`)
    }
    return decide(best.engine, `${booting}pods would need about ${Math.round(wait)} s for ${n} waiting image(s): ${best.engine} takes this one`)
  }

  if (best) {
    const price = `${best.engine} at ${usd(best.perImage)}/image`
    if (!providers.pod) return decide(best.engine, `${price}: pods are not configured`)
    if (fleet.lostRecently) return decide(best.engine, `a pod was lost (preempted or crashed): ${price} takes over`)
    if (!fleet.canRent) return decide(best.engine, `${price}: no pod can be rented now (cooling down after a failure, or disabled)`)
    if (!podAffordable) return decide(best.engine, `${price}: the budget left (${usd(budget ?? 0)}) does not cover a pod`)
    if (!sustained) return decide(best.engine, `urgent demand (${load.toFixed(2)} GPU) would leave a pod idle: ${price}`)
    return decide(best.engine, `${n} image(s) ≤ break-even ${Math.ceil(breakEven)}: ${price} is cheaper than renting a pod (${usd(pod.overhead)} boot and idle)`)
  }

  if (all.length > 0 || (providers.pod && !podAffordable)) return decide('offline', `the budget left (${usd(budget ?? 0)}) covers no cloud image: drawing offline`)
  if (providers.pod) return decide('offline', 'no pod can be rented now and no per-image engine is configured: drawing offline')
  return decide('offline', 'no cloud engine is configured: drawing offline')
}
