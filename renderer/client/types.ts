import type { CommandInput, CommandName, CommandOutput, ErrorCode, StudioEvent } from '../../src/contract/index.ts'

export type ClientErrorCode = ErrorCode | 'network'

// What the screens see of the engine, whichever shell carries it.
export interface StudioClient {
  readonly transport: 'ipc' | 'http'
  call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>>
  onEvent(listener: (event: StudioEvent) => void): () => void
  // Connection to the event stream: false while it is down and reconnecting.
  onConnection(listener: (up: boolean) => void): () => void
  fileUrl(imageId: string): string
}

export class ClientError extends Error {
  readonly code: ClientErrorCode
  readonly retryable: boolean

  constructor(code: ClientErrorCode, message: string, retryable = false) {
    super(message)
    this.name = 'ClientError'
    this.code = code
    this.retryable = retryable
  }
}

export function isClientError(err: unknown, code?: ClientErrorCode): err is ClientError {
  return err instanceof ClientError && (code === undefined || err.code === code)
}

// The Electron preload's bridge (electron/preload.ts exposes it as window.kitsumy).
export interface KitsumyBridge {
  invoke(command: string, input: unknown): Promise<unknown>
  onEvent(listener: (event: unknown) => void): () => void
}
