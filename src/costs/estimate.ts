import type { EngineId } from '../contract/image.ts'
import type { Price, PriceSheet } from './price-catalog.ts'
import { describePrice } from './price-catalog.ts'
import { formatUsd } from './money.ts'
import { DEADLINE_SECONDS } from '../cloud/router.ts'

// What a comic will cost and how long it will take on each route, before anything is spent. Pure.

export interface RouteTiming {
  // Create → worker answering; the pod manager's measured value once it has one.
  podBootSeconds: number
  podSecondsPerImage: number
  // A pod is kept this long after its last image, and that wait is paid.
  podIdleSeconds: number
  maxPods: number
  serverlessSecondsPerImage: number
  // Not billed, but the first image waits for it.
  serverlessColdStartSeconds: number
  // Billed: a worker lingers this long after its last job.
  serverlessIdleSeconds: number
  serverlessWorkers: number
  fluxSecondsPerImage: number
  fluxConcurrency: number
  replicateSecondsPerImage: number
  replicateConcurrency: number
  offlineSecondsPerImage: number
}

export interface EstimateInput {
  images: number
  megapixelsPerImage: number
  urgent: boolean
  prices: PriceSheet
  timing: RouteTiming
  configured: { pod: boolean; serverless: boolean; runpodFlux: boolean; replicate: boolean }
  // Pods already up and idle: no boot to pay or wait for.
  readyPods?: number
}

export interface RouteEstimate {
  engine: EngineId
  usd: number
  seconds: number
  firstImageSeconds: number
  // The prices this figure rests on, each with its source and date.
  prices: Price[]
  basis: string
  meetsDeadline: boolean
  recommended: boolean
}

export interface ComicEstimate {
  images: number
  deadlineSeconds: number
  routes: RouteEstimate[]
}


type Draft = Omit<RouteEstimate, 'meetsDeadline' | 'recommended'>

function podRoute(n: number, t: RouteTiming, price: Price, readyPods: number): Draft {
  const perSecond = price.usd / 3600
  const pods = readyPods > 0 ? Math.min(readyPods, t.maxPods) : 1
  const boot = readyPods > 0 ? 0 : t.podBootSeconds
  const work = Math.ceil(n / pods) * t.podSecondsPerImage
  const billed = boot + n * t.podSecondsPerImage + pods * t.podIdleSeconds
  const basis = readyPods > 0
    ? `${n} × ${t.podSecondsPerImage} s on ${pods} running pod(s) + ${t.podIdleSeconds} s idle`
    : `${t.podBootSeconds} s boot + ${n} × ${t.podSecondsPerImage} s + ${t.podIdleSeconds} s idle before shutdown`
  return { engine: 'pod', usd: billed * perSecond, seconds: boot + work, firstImageSeconds: boot + t.podSecondsPerImage, prices: [price], basis }
}

function serverlessRoute(n: number, t: RouteTiming, price: Price): Draft {
  const workers = Math.max(1, Math.min(t.serverlessWorkers, n))
  const billed = n * t.serverlessSecondsPerImage + workers * t.serverlessIdleSeconds
  return {
    engine: 'serverless',
    usd: billed * price.usd,
    seconds: t.serverlessColdStartSeconds + Math.ceil(n / workers) * t.serverlessSecondsPerImage,
    firstImageSeconds: t.serverlessColdStartSeconds + t.serverlessSecondsPerImage,
    prices: [price],
    basis: `${n} × ${t.serverlessSecondsPerImage} s running + ${workers} × ${t.serverlessIdleSeconds} s idle; cold start not billed`,
  }
}

function perImageRoute(engine: 'runpod-flux' | 'replicate', n: number, perImage: number, seconds: number, concurrency: number, price: Price, basis: string): Draft {
  return { engine, usd: n * perImage, seconds: Math.ceil(n / Math.max(1, concurrency)) * seconds, firstImageSeconds: seconds, prices: [price], basis }
}

export function estimateComic(input: EstimateInput): ComicEstimate {
  const n = Math.max(0, Math.floor(input.images))
  const { timing: t, prices, configured } = input
  const deadlineSeconds = input.urgent ? DEADLINE_SECONDS.urgent : DEADLINE_SECONDS.relaxed
  const mp = input.megapixelsPerImage
  const drafts: Draft[] = [{
    engine: 'offline', usd: 0, seconds: n * t.offlineSecondsPerImage, firstImageSeconds: t.offlineSecondsPerImage, prices: [],
    basis: 'sketches drawn on this computer',
  }]
  if (configured.serverless) drafts.push(serverlessRoute(n, t, prices.serverless))
  if (configured.pod) drafts.push(podRoute(n, t, prices.pod, input.readyPods ?? 0))
  if (configured.runpodFlux) {
    drafts.push(perImageRoute('runpod-flux', n, mp * prices.flux.usd, t.fluxSecondsPerImage, t.fluxConcurrency, prices.flux,
      `${n} × ${mp.toFixed(2)} MP × ${formatUsd(prices.flux.usd)}/MP`))
  }
  if (configured.replicate) {
    drafts.push(perImageRoute('replicate', n, prices.replicate.usd, t.replicateSecondsPerImage, t.replicateConcurrency, prices.replicate,
      `${n} × ${formatUsd(prices.replicate.usd)}/image`))
  }
  const routes = drafts.map((d) => ({ ...d, meetsDeadline: d.seconds <= deadlineSeconds, recommended: false }))
  const cloud = routes.filter((r) => r.engine !== 'offline')
  const inTime = cloud.filter((r) => r.meetsDeadline)
  const pick = inTime.length > 0
    ? inTime.reduce((a, b) => (b.usd < a.usd ? b : a))
    : cloud.length > 0 ? cloud.reduce((a, b) => (b.seconds < a.seconds ? b : a)) : routes[0]
  pick.recommended = true
  return { images: n, deadlineSeconds, routes }
}

export function describeRoute(route: RouteEstimate): string {
  const prices = route.prices.map(describePrice).join('; ')
  return `${route.engine}: ${formatUsd(route.usd)} in about ${Math.round(route.seconds)} s — ${route.basis}${prices ? ` [${prices}]` : ''}`
}
