import { randomBytes } from 'node:crypto'
import { localSession } from '../platform/session.ts'
import type { ImageRequest, PodInfo, StudioEvent } from '../contract/index.ts'
import type { ImageEngine } from '../art/engine.ts'
import { createCloudBurst, type CloudBurst } from '../cloud/burst.ts'
import type { PodBill } from '../cloud/pod-manager.ts'
import { CloudSettings, imagesInFlight } from '../cloud/settings.ts'
import { DemandMeter } from '../cloud/demand.ts'
import type { DispatchOptions, DispatchResult } from '../cloud/dispatcher.ts'
import { FALLBACK_PRICES, type CloudPrices } from '../cloud/prices.ts'
import { RunpodRestClient, type CatalogGpu } from '../cloud/runpod-rest.ts'
import type { Library } from '../library/library.ts'
import type { Clock } from '../platform/clock.ts'
import type { Secrets } from '../platform/secrets.ts'
import type { SettingsService } from './settings.ts'

export type DrawOptions = Omit<DispatchOptions, 'onProgress'> & { comicId: string }

export interface CloudEnginesOptions {
  library: Library
  secrets: Secrets
  settings: SettingsService
  clock: Clock
  offline: ImageEngine
  emit(event: StudioEvent): void
  onBilled(bill: PodBill): void
  onReaped(podId: string): void
  onListed(alive: string[]): void
  budgetLeftUsd(): number | null
  // Whether any budget cap is set: each image the studio takes holds its price against the caps.
  budgeted(): boolean
  // The studio's cached RunPod GPU list (prices and bids come from it, dated).
  gpuCatalog(): Promise<{ gpus: CatalogGpu[]; asOf: string } | null>
}

// Which engine draws a panel: the offline artist until the user configures a cloud provider, then the
// cloud burst (router, pods, serverless, hosted) with the offline artist as its last resort. The burst is
// rebuilt when keys or provider settings change, and shut down (pods terminated) with the studio.
export class CloudEngines {
  private readonly o: CloudEnginesOptions
  private burst: { signature: string; burst: CloudBurst } | null = null
  private readonly session = localSession()
  private readonly demand: DemandMeter
  private moreInFlight: (() => void) | null = null

  constructor(o: CloudEnginesOptions) {
    this.o = o
    this.demand = new DemandMeter(o.clock)
  }

  // What the studio was asked for before this session, so a restart does not start the demand from nothing.
  rememberDemand(askedSince: (since: number) => readonly number[]): void {
    this.demand.remember(askedSince(this.demand.windowStart()))
  }

  cloudSettings(): CloudSettings {
    const prefs = this.o.settings.prefs()
    return CloudSettings.parse({
      serverless: { endpointId: prefs.providers.serverlessEndpointId },
      pods: {
        enabled: prefs.pods.enabled,
        capacityClass: prefs.pods.capacityClass,
        idleMinutes: prefs.pods.idleMinutes,
        maxPods: prefs.pods.maxPods,
        urgentLateShare: prefs.pods.urgentLatePercent / 100,
        gpuTypes: prefs.providers.gpuTypes,
        bidPerGpu: prefs.providers.bidPerGpu,
      },
      localComfyUrl: prefs.providers.localComfyUrl,
      ...(this.o.library.settings.get('cloud.overrides') as object | undefined),
    })
  }

  private installId(): string {
    const known = this.o.library.settings.get('installId')
    if (typeof known === 'string') return known
    const id = randomBytes(9).toString('base64url')
    this.o.library.settings.put('installId', id)
    return id
  }

  private configured(settings: CloudSettings): boolean {
    if (this.o.settings.prefs().preferredEngine === 'offline') return false
    return Boolean(this.o.secrets.get('runpod') || this.o.secrets.get('replicate') || settings.localComfyUrl)
  }

  // The current burst, or null while everything is drawn offline.
  private current(): CloudBurst | null {
    const settings = this.cloudSettings()
    if (!this.configured(settings)) return null
    const signature = JSON.stringify([settings, ['runpod', 'replicate'].map((k) => this.o.secrets.status(k as 'runpod').last4)])
    if (this.burst?.signature === signature) return this.burst.burst
    const old = this.burst?.burst
    if (old) void old.shutdown()
    const burst = createCloudBurst({
      settings,
      secrets: this.o.secrets,
      clock: this.o.clock,
      emit: (event) => {
        this.o.emit(event)
        // A pod rented or up adds its slots to inFlight().
        if (event.type === 'pod_booting' || event.type === 'pod_ready') this.moreInFlight?.()
      },
      installId: this.installId(),
      offline: this.o.offline,
      budgetLeftUsd: this.o.budgetLeftUsd,
      onPodLine: () => this.moreInFlight?.(),
      onBilled: this.o.onBilled,
      onReaped: this.o.onReaped,
      onListed: this.o.onListed,
      session: this.session,
      gpuCatalog: this.o.gpuCatalog,
      demand: this.demand,
      today: () => new Date(this.o.clock.now()).toISOString().slice(0, 10),
    })
    this.burst = { signature, burst }
    void burst.start()
    return burst
  }

  async draw(request: ImageRequest, options: DrawOptions): Promise<DispatchResult> {
    const burst = this.current()
    if (!burst) {
      options.onStart?.()
      return { ...(await this.o.offline.generate(request, { signal: options.signal })), engine: 'offline' }
    }
    return burst.dispatcher.generate(request, options)
  }

  pods(): PodInfo[] {
    return this.burst?.burst.pods?.list() ?? []
  }

  async stopPods(): Promise<{ stopped: number; pausedSeconds: number }> {
    return (await this.burst?.burst.pods?.stopAll('shut down by you')) ?? { stopped: 0, pausedSeconds: 0 }
  }

  prices(): CloudPrices {
    return this.burst?.burst.prices() ?? FALLBACK_PRICES
  }

  // The routes an estimate may offer: those the user has keys and settings for.
  routes(): { pod: boolean; serverless: boolean; runpodFlux: boolean; replicate: boolean } {
    const settings = this.cloudSettings()
    const on = this.configured(settings)
    const runpod = on && this.o.secrets.get('runpod') !== null
    return {
      pod: runpod && this.podsUsable(settings),
      serverless: runpod && settings.serverless.endpointId !== null,
      runpodFlux: runpod,
      replicate: on && this.o.secrets.get('replicate') !== null,
    }
  }

  fetchGpus(): (() => Promise<CatalogGpu[]>) | null {
    const key = this.o.secrets.get('runpod')
    if (!key) return null
    const settings = this.cloudSettings()
    const rest = new RunpodRestClient({ baseUrl: settings.urls.runpodRest, apiKey: key, clock: this.o.clock, requestTimeoutMs: settings.poll.requestTimeoutSeconds * 1000 })
    return () => rest.listGpuTypes()
  }

  // Whether images go to the cloud now (a provider is configured and not switched off).
  active(): boolean {
    return this.configured(this.cloudSettings())
  }

  // Called whenever inFlight() may have grown: an image joined the pod line, or a pod was rented or came up.
  onMoreInFlight(listener: () => void): void {
    this.moreInFlight = listener
  }

  // Images the cloud can take at once (0 when it is off). Under a budget the pod line does not grow it: an image
  // taken holds its price against the caps, and a long line of held images would stop the comic early.
  inFlight(): number {
    const settings = this.cloudSettings()
    if (!this.configured(settings)) return 0
    const burst = this.burst?.burst
    const line = this.o.budgeted() ? 0 : (burst?.dispatcher.podLine() ?? 0)
    const fleet = burst?.pods?.status()
    return imagesInFlight(settings, fleet ? fleet.serving + fleet.booting : 0, line)
  }

  private podsUsable(settings: CloudSettings): boolean {
    return settings.pods.enabled && settings.pods.maxPods > 0
  }

  // On start: reap pods an unclean exit left billing, even before the first image is asked for.
  start(): void {
    this.current()
  }

  async shutdown(): Promise<void> {
    await this.burst?.burst.shutdown()
    this.burst = null
  }
}
