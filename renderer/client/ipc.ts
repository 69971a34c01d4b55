import type { CommandInput, CommandName, CommandOutput, StudioEvent } from '../../src/contract/index.ts'
import { Emitter, deliverEvent, unwrap } from './envelope.ts'
import { ClientError, type KitsumyBridge, type StudioClient } from './types.ts'

// Electron: the sandboxed preload carries commands and events over IPC; errors arrive as envelopes.
export function createIpcClient(bridge: KitsumyBridge): StudioClient {
  const events = new Emitter<StudioEvent>()
  bridge.onEvent((raw) => deliverEvent(raw, (event) => events.emit(event)))
  return {
    transport: 'ipc',
    async call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
      let raw: unknown
      try {
        raw = await bridge.invoke(name, input)
      } catch (err) {
        throw new ClientError('network', err instanceof Error ? err.message : String(err), true)
      }
      return unwrap(name, raw)
    },
    onEvent: (listener) => events.add(listener),
    // IPC has no disconnects: the engine lives in the same app.
    onConnection: () => () => {},
    fileUrl: (imageId) => `/files/${encodeURIComponent(imageId)}`,
  }
}
