import { randomBytes } from 'node:crypto'
import { KitsumyError } from '../contract/errors.ts'
import type { StudioEvent } from '../contract/events.ts'
import type { Clock } from '../platform/clock.ts'
import type { Secrets } from '../platform/secrets.ts'
import type { ImageEngine } from '../art/engine.ts'
import { ComfyClient, ComfyEngine } from '../art/comfy-client.ts'
import type { WorkflowFor } from '../art/comfy-client.ts'
import { RunpodServerlessClient, ServerlessEngine } from '../art/runpod-serverless.ts'
import { FLUX_ENDPOINTS, RunpodFluxEngine } from '../art/runpod-flux.ts'
import { ReplicateClient, ReplicateEngine } from '../art/replicate.ts'
import { getStyle } from '../styles/styles.ts'
import { buildWorkflow } from '../styles/workflows.ts'
import type { DemandMeter } from './demand.ts'
import { Dispatcher } from './dispatcher.ts'
import type { PerImageEngines } from './dispatcher.ts'
import { PodManager } from './pod-manager.ts'
import type { PodBill } from './pod-manager.ts'
import { interruptibleBackend, onDemandBackend } from './pod-backend.ts'
import { FALLBACK_PRICES, bidFromCatalog, pricesFromCatalog } from './prices.ts'
import type { CloudPrices } from './prices.ts'
import { RunpodGraphqlClient } from './runpod-graphql.ts'
import { RunpodRestClient } from './runpod-rest.ts'
import type { CatalogGpu } from './runpod-rest.ts'
import type { CloudSettings } from './settings.ts'
import type { SessionOwner } from '../platform/session.ts'

export interface CloudBurstOptions {
  settings: CloudSettings
  secrets: Secrets
  clock: Clock
  emit: (event: StudioEvent) => void
  // Persisted per installation: it tags our pods so the next start can reap them.
  installId: string
  // The ComfyUI graph for a request; by default the style's own template.
  workflowFor?: WorkflowFor
  // The always-available last resort (the offline sketch artist).
  offline?: ImageEngine
  budgetLeftUsd?: () => number | null
  onBilled?: (bill: PodBill) => void
  onReaped?: (podId: string) => void
  onListed?: (alive: string[]) => void
  session?: SessionOwner
  // Today's date for price records (injected so tests and simulations stay deterministic).
  today: () => string
  // RunPod's GPU list as the studio caches it (with the day it was read); without it, read live on start.
  gpuCatalog?: () => Promise<{ gpus: CatalogGpu[]; asOf: string } | null>
  // The studio's demand so far: new keys or settings rebuild the burst, not the last twelve hours.
  demand?: DemandMeter
  onPodLine?: () => void
}

export interface CloudBurst {
  dispatcher: Dispatcher
  pods: PodManager | null
  prices(): CloudPrices
  // On start: read live prices and terminate pods an earlier run left billing (a failure is emitted as an error event).
  start(): Promise<{ reaped: string[]; prices: CloudPrices }>
  // On quit.
  shutdown(): Promise<void>
}

export const styleWorkflow: WorkflowFor = (request) => buildWorkflow(getStyle(request.styleId).model.workflow, request)

// Wires the cloud engines the user has keys (or a URL) for. Keys are read here and handed to clients only.
export function createCloudBurst(opts: CloudBurstOptions): CloudBurst {
  const { settings: s, clock, secrets } = opts
  const workflowFor = opts.workflowFor ?? styleWorkflow
  const runpodKey = secrets.get('runpod')
  const replicateKey = secrets.get('replicate')
  const ms = (seconds: number) => seconds * 1000
  const requestTimeoutMs = ms(s.poll.requestTimeoutSeconds)
  let prices: CloudPrices = FALLBACK_PRICES
  let catalog: CatalogGpu[] = []

  const engines: PerImageEngines = {}
  if (opts.offline) engines.offline = opts.offline
  if (s.localComfyUrl) {
    engines['comfy-local'] = new ComfyEngine({
      id: 'comfy-local', provider: 'local-comfyui', workflowFor,
      client: new ComfyClient({ baseUrl: s.localComfyUrl, clock, pollMs: ms(s.poll.jobSeconds), requestTimeoutMs, maxWaitMs: ms(s.poll.imageTimeoutSeconds), service: 'local ComfyUI' }),
    })
  }
  let rest: RunpodRestClient | null = null
  if (runpodKey) {
    rest = new RunpodRestClient({ baseUrl: s.urls.runpodRest, apiKey: runpodKey, clock, requestTimeoutMs })
    const jobWait = { clock, pollMs: ms(s.poll.jobSeconds), maxWaitMs: ms(s.poll.imageTimeoutSeconds), stuckQueueMs: ms(s.serverless.stuckQueueSeconds), downloadTimeoutMs: ms(s.poll.downloadTimeoutSeconds) }
    if (s.serverless.endpointId) {
      const client = new RunpodServerlessClient({ baseUrl: s.urls.runpodServerless, endpointId: s.serverless.endpointId, apiKey: runpodKey, clock, requestTimeoutMs })
      engines.serverless = new ServerlessEngine({ ...jobWait, client, workflowFor, pricePerSecond: () => prices.serverlessPerSecond, executionTimeoutMs: ms(s.serverless.executionTimeoutSeconds), briskPollMs: ms(s.poll.briskSeconds), expectedRunMs: ms(s.estimates.serverlessSecondsPerImage) })
    }
    const fluxClient = new RunpodServerlessClient({ baseUrl: s.urls.runpodServerless, endpointId: FLUX_ENDPOINTS[s.hosted.fluxModel], apiKey: runpodKey, clock, requestTimeoutMs, service: 'RunPod Flux' })
    engines['runpod-flux'] = new RunpodFluxEngine({ ...jobWait, client: fluxClient, model: s.hosted.fluxModel, syncWaitMs: ms(s.hosted.syncWaitSeconds), pricePerMegapixel: FALLBACK_PRICES.fluxPerMegapixel })
  }
  if (replicateKey) {
    engines.replicate = new ReplicateEngine({
      client: new ReplicateClient({ baseUrl: s.urls.replicate, apiToken: replicateKey, clock, requestTimeoutMs }),
      model: s.hosted.replicateModel, clock, waitSeconds: 60, pollMs: ms(s.poll.jobSeconds), maxWaitMs: ms(s.poll.imageTimeoutSeconds),
      downloadTimeoutMs: ms(s.poll.downloadTimeoutSeconds), pricePerImage: pricesFromCatalog([], s, opts.today()).replicatePerImage,
    })
  }

  // With a RunPod key the pod manager exists even while pods are switched off: it still reaps the pods an
  // earlier session left billing (the router rents none while they are off).
  let pods: PodManager | null = null
  if (rest && runpodKey) {
    const backend = s.pods.capacityClass === 'interruptible'
      ? interruptibleBackend(new RunpodGraphqlClient({ url: s.urls.runpodGraphql, apiKey: runpodKey, clock, requestTimeoutMs }), (gpu) => bidFromCatalog(catalog, s)(gpu))
      : onDemandBackend(rest)
    pods = new PodManager({
      settings: s, backend, rest, clock, installId: opts.installId, emit: opts.emit, onBilled: opts.onBilled, onReaped: opts.onReaped, onListed: opts.onListed, session: opts.session,
      // A fresh token per session: pods from earlier sessions are reaped, never reused.
      workerToken: randomBytes(24).toString('base64url'),
    })
  }

  const dispatcher = new Dispatcher({ settings: s, engines, pods, workflowFor, prices: () => prices, budgetLeftUsd: opts.budgetLeftUsd, emit: opts.emit, clock, demand: opts.demand, onPodLine: opts.onPodLine })

  return {
    dispatcher,
    pods,
    prices: () => prices,
    async start() {
      if (rest) {
        try {
          const listed = opts.gpuCatalog ? await opts.gpuCatalog() : { gpus: await rest.listGpuTypes(), asOf: opts.today() }
          catalog = listed?.gpus ?? []
          prices = pricesFromCatalog(catalog, s, listed?.asOf ?? opts.today())
        } catch {
          prices = pricesFromCatalog([], s, opts.today())
        }
      }
      let reaped: string[] = []
      try {
        reaped = pods ? await pods.reapOrphans() : []
      } catch (err) {
        const e = err instanceof KitsumyError ? err : new KitsumyError('internal', 'could not look for pods left running', { cause: err })
        opts.emit({ type: 'error', comicId: null, code: e.code, message: `Could not check for pods left running by an earlier session: ${e.message}` })
      }
      return { reaped, prices }
    },
    async shutdown() {
      dispatcher.close()
      await pods?.shutdown()
    },
  }
}
