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
  // Images of this batch not yet started, this one included.
  remaining: number
  urgent: boolean
  budgetLeftUsd: number | null
  providers: Providers
  fleet: Pick<FleetStatus, 'serving' | 'freeSlots' | 'booting' | 'bootEtaSeconds' | 'canRent' | 'lostRecently'>
  prices: CloudPrices
  estimates: RouteEstimates
  // A pod is kept this long after its last image, and that time is paid too.
  idleSeconds: number
  megapixels: number
}

export interface RouteDecision {
  engine: EngineId
  // Ask the pod manager for pods sized to the backlog.
  startPod: boolean
  reason: string
  // Images above which renting a pod is cheaper than paying per image.
  breakEven: number
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

export function route(input: RouteInput): RouteDecision {
  const n = Math.max(1, input.remaining)
  const { fleet, providers } = input
  const budget = input.budgetLeftUsd
  const all = hostedOptions(input)
  const affordable = budget === null ? all : all.filter((o) => o.perImage <= budget)
  const best = affordable[0] ?? null
  const pod = podEconomics(input)
  const breakEven = breakEvenImages(pod, all[0]?.perImage ?? null)
  const podAffordable = budget === null || budget >= pod.overhead + n * pod.perImage
  const wantPod = providers.pod && fleet.canRent && !fleet.lostRecently && n > breakEven && podAffordable
  const decide = (engine: EngineId, reason: string): RouteDecision => ({ engine, startPod: wantPod, reason, breakEven })

  if (providers.local) return { engine: 'comfy-local', startPod: false, reason: 'your own ComfyUI draws it at no cost', breakEven }

  if (fleet.freeSlots > 0) return decide('pod', 'a pod is ready and its time is already paid for')

  if (input.urgent && best) return decide(best.engine, `urgent: ${best.engine} starts within seconds instead of waiting for a pod`)

  if (fleet.serving > 0) return decide('pod', 'every pod slot is busy: waiting for one costs less than paying per image')

  if (fleet.booting > 0 || wantPod) {
    const eta = fleet.bootEtaSeconds === null ? '' : ` (ready in about ${Math.round(fleet.bootEtaSeconds)} s)`
    if (best) return decide(best.engine, `a pod is booting${eta}: the first panels start on ${best.engine} so pictures appear within seconds`)
    return decide('pod', `waiting for the pod to boot${eta}: no per-image engine is configured`)
  }

  if (best) {
    const price = `${best.engine} at ${usd(best.perImage)}/image`
    if (fleet.lostRecently) return decide(best.engine, `a pod was lost (preempted or crashed): ${price} takes over`)
    if (!providers.pod) return decide(best.engine, `${price}: pods are not configured`)
    if (!fleet.canRent) return decide(best.engine, `${price}: no pod can be rented now (cooling down after a failure, or disabled)`)
    if (!podAffordable) return decide(best.engine, `${price}: the budget left (${usd(budget ?? 0)}) does not cover a pod`)
    return decide(best.engine, `${n} image(s) ≤ break-even ${Math.ceil(breakEven)}: ${price} is cheaper than renting a pod (${usd(pod.overhead)} boot and idle)`)
  }

  if (all.length > 0 || (providers.pod && !podAffordable)) return decide('offline', `the budget left (${usd(budget ?? 0)}) covers no cloud image: drawing offline`)
  if (providers.pod) return decide('offline', 'no pod can be rented now and no per-image engine is configured: drawing offline')
  return decide('offline', 'no cloud engine is configured: drawing offline')
}

// The service-level policy measured by bench/economics.ts (issue 6). The dispatcher switches to it by
// supplying the measured demand; `route` above stays the rule for callers that do not measure demand.
//
// Two facts `route` misses:
// 1. Waiting is free for a comic that is not urgent, and a pod draws at a third of serverless' price:
//    boot one and wait for it. Starting on serverless while it boots finishes the comic before the pod
//    is up, and the pod's boot and idle time are pure loss.
// 2. Urgent work pays for a pod only if the pod stays busy. Serverless must take the first panels and
//    the bursts, so a pod is rented only when recent demand would keep a GPU busy and the backlog is past
//    break-even counting the keep-alive; images wait for a pod only while they still finish in time.

export interface ServiceLevel {
  deadlineSeconds: number
  // How long an idle pod is kept (the pod manager's idle shutdown), and so paid for.
  keepAliveSeconds: number
}

export const SERVICE_LEVELS: Record<'urgent' | 'relaxed', ServiceLevel> = {
  // A warm pod is what makes urgent work cheap: rebooting means 4–5 minutes at serverless prices.
  urgent: { deadlineSeconds: 300, keepAliveSeconds: 900 },
  // Without urgency a cold start costs only the boot: idle pods go at once.
  relaxed: { deadlineSeconds: 1_800, keepAliveSeconds: 1 },
}

export interface DemandRouteInput extends RouteInput {
  // Images requested per hour, measured over the last two hours.
  demandImagesPerHour: number
  // The first panel of its comic: under urgency it never queues behind pods.
  firstOfComic: boolean
}

// An image may wait for a pod while its comic still ends with 30 % of the deadline to spare.
const WAIT_SHARE = 0.7
// Urgent pods need recent demand worth one and a half GPUs: serverless takes the first panels and the
// bursts, so a pod sees only part of the load, and one busy hour must not rent pods for a quiet day.
const SUSTAINED_GPUS = 1.5

export function routeWithDemand(input: DemandRouteInput): RouteDecision {
  const n = Math.max(1, input.remaining)
  const { fleet, providers, estimates } = input
  const level = input.urgent ? SERVICE_LEVELS.urgent : SERVICE_LEVELS.relaxed
  const budget = input.budgetLeftUsd
  const all = hostedOptions(input)
  const affordable = budget === null ? all : all.filter((o) => o.perImage <= budget)
  const best = affordable[0] ?? null
  const pod = podEconomics({ ...input, idleSeconds: level.keepAliveSeconds })
  const breakEven = breakEvenImages(pod, all[0]?.perImage ?? null)
  const podAffordable = budget === null || budget >= pod.overhead + n * pod.perImage
  const load = (input.demandImagesPerHour * estimates.podSecondsPerImage) / 3600
  const sustained = !input.urgent || load >= SUSTAINED_GPUS
  const wantPod = providers.pod && fleet.canRent && !fleet.lostRecently && sustained && n > breakEven && podAffordable
  const decide = (engine: EngineId, reason: string): RouteDecision => ({ engine, startPod: wantPod, reason, breakEven })

  if (providers.local) return { engine: 'comfy-local', startPod: false, reason: 'your own ComfyUI draws it at no cost', breakEven }
  if (fleet.freeSlots > 0) return decide('pod', 'a pod is ready and its time is already paid for')
  if (input.urgent && input.firstOfComic && best) return decide(best.engine, `urgent: the first panel starts on ${best.engine} at once`)

  const pods = fleet.serving + fleet.booting + (wantPod && fleet.serving + fleet.booting === 0 ? 1 : 0)
  if (pods > 0 && providers.pod) {
    const boot = fleet.serving > 0 ? 0 : (fleet.bootEtaSeconds ?? estimates.podBootSeconds)
    const wait = boot + (n * estimates.podSecondsPerImage) / pods
    if (wait <= WAIT_SHARE * level.deadlineSeconds || !best) {
      return decide('pod', `${pods} pod(s) clear ${n} waiting image(s) in about ${Math.round(wait)} s, inside the ${level.deadlineSeconds} s deadline`)
    }
    return decide(best.engine, `pods would need about ${Math.round(wait)} s for ${n} waiting image(s): ${best.engine} takes this one`)
  }
  if (best) {
    if (!sustained) return decide(best.engine, `urgent demand (${load.toFixed(2)} GPU) would leave a pod idle: ${best.engine} at ${usd(best.perImage)}/image`)
    return decide(best.engine, `${n} image(s) ≤ break-even ${Math.ceil(breakEven)}: ${best.engine} at ${usd(best.perImage)}/image is cheaper than renting a pod`)
  }
  return decide('offline', all.length > 0 ? `the budget left (${usd(budget ?? 0)}) covers no cloud image: drawing offline` : 'no per-image cloud engine is available: drawing offline')
}
