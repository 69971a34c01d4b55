import type { EngineId } from '../../src/contract/image.ts'
import { breakEvenImages, hostedOptions, podEconomics } from '../../src/cloud/router.ts'
import type { RouteDecision, RouteInput } from '../../src/cloud/router.ts'

// The routing change this simulation argues for (src/cloud/router.ts belongs to the cloud module; this is
// the proposal, measured through the same queue, pod manager and providers as the shipped router).
//
// Two facts the shipped router misses:
// 1. Waiting is free for a comic that is not urgent, and a pod finishes 40 images at a third of
//    serverless' price: boot one and wait for it, instead of starting on serverless while it boots (the
//    comic is then done before the pod is up, and the pod's boot and idle time are pure loss).
// 2. For urgent work a pod pays only if it stays busy. Serverless must take the first panels and the
//    bursts, so a pod is worth renting only when demand is sustained (the last hours' images would keep
//    a GPU busy) and the backlog is past break-even counting the keep-alive; and images wait for a pod
//    only while they still finish well inside the deadline.

export interface ProposedRouteInput extends RouteInput {
  // Images requested per hour, measured over the last two hours.
  demandImagesPerHour: number
  // The first panel of its comic: under urgency it never queues behind pods.
  firstOfComic: boolean
}

export interface LevelPolicy {
  deadlineSeconds: number
  // How long an idle pod is kept (the pod manager's idle shutdown), and so paid for, per service level.
  keepAliveSeconds: number
}

export const LEVEL_POLICY: Record<'urgent' | 'relaxed', LevelPolicy> = {
  // A warm pod is what makes urgent work cheap; rebooting costs 4–5 minutes of serverless prices.
  urgent: { deadlineSeconds: 300, keepAliveSeconds: 900 },
  // Without urgency a cold start costs only the boot: shut idle pods down at once.
  relaxed: { deadlineSeconds: 1_800, keepAliveSeconds: 1 },
}

// An image may wait for a pod while its comic still ends with 30 % of the deadline to spare.
const WAIT_SHARE = 0.7
// Urgent pods need the recent demand to fill at least one GPU.
const SUSTAINED_GPUS = 1

export function proposedRoute(input: ProposedRouteInput): RouteDecision {
  const n = Math.max(1, input.remaining)
  const { fleet, providers, estimates } = input
  const level = input.urgent ? LEVEL_POLICY.urgent : LEVEL_POLICY.relaxed
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
    if (!sustained) return decide(best.engine, `urgent demand (${load.toFixed(2)} GPU) would leave a pod idle: ${best.engine} is cheaper`)
    return decide(best.engine, `${n} image(s) ≤ break-even ${Math.ceil(breakEven)}: ${best.engine} is cheaper than renting a pod`)
  }
  return decide('offline', 'no cloud engine is available: drawing offline')
}
