import type { EngineId, ImageRequest } from '../contract/index.ts'

export type ImageMime = 'image/svg+xml' | 'image/png' | 'image/jpeg' | 'image/webp'

export interface ImageResult {
  bytes: Uint8Array
  mime: ImageMime
  // What the provider charged for this image alone; pod time is billed by the pod manager instead.
  costUsd: number
  provider: string
}

export interface GenerateOptions {
  signal: AbortSignal
  onProgress?: (fraction: number) => void
  // This image may have been started before (a retry, or a run cut short by a crash): an engine that can find
  // that earlier request follows it instead of paying for the picture again.
  resumable?: boolean
}

// Every image engine, offline or cloud, behind one door. Failures are thrown as KitsumyError with a code.
export interface ImageEngine {
  readonly id: EngineId
  generate(request: ImageRequest, options: GenerateOptions): Promise<ImageResult>
}
