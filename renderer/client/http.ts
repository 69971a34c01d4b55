import type { CommandInput, CommandName, CommandOutput, StudioEvent } from '../../src/contract/index.ts'
import { takeEarly } from './early.ts'
import { Emitter, deliverEvent, unwrap } from './envelope.ts'
import { postCommand } from './request.ts'
import { ClientError, type StudioClient } from './types.ts'

export interface HttpClientOptions {
  baseUrl: string
  token: string
  fetch?: typeof fetch
  EventSource?: typeof EventSource
}

// Serve mode: commands are POST /api/<command> with a bearer token, events are one SSE stream.
export function createHttpClient(opts: HttpClientOptions): StudioClient {
  const doFetch = opts.fetch ?? fetch.bind(globalThis)
  const Source = opts.EventSource ?? globalThis.EventSource
  const events = new Emitter<StudioEvent>()
  const connection = new Emitter<boolean>()
  let source: EventSource | null = null

  // The stream opens with the first listener and closes with the last; EventSource reconnects by itself.
  function ensureStream(): void {
    if (source) return
    source = new Source(new URL(`/api/events?token=${encodeURIComponent(opts.token)}`, opts.baseUrl).href)
    source.onopen = () => connection.emit(true)
    source.onerror = () => connection.emit(false)
    source.onmessage = (message) => {
      let raw: unknown
      try {
        raw = JSON.parse(message.data as string)
      } catch {
        return
      }
      deliverEvent(raw, (event) => events.emit(event))
    }
  }

  function maybeClose(): void {
    if (events.size === 0 && connection.size === 0 && source) {
      source.close()
      source = null
    }
  }

  return {
    transport: 'http',
    async call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
      const early = takeEarly(name, input)
      // An answer that came inside the page is at hand: no task boundary between it and the first render.
      if (early && 'envelope' in early) return unwrap(name, early.envelope)
      let response: Response
      try {
        response = await (early?.response ?? postCommand(doFetch, opts.baseUrl, opts.token, name, input))
      } catch (err) {
        throw new ClientError('network', err instanceof Error ? err.message : String(err), true)
      }
      if (response.status === 401) throw new ClientError('unauthorized', 'The session token was refused')
      let raw: unknown
      try {
        raw = await response.json()
      } catch {
        throw new ClientError('bad_response', `${name}: HTTP ${response.status} without JSON`, response.status >= 500)
      }
      return unwrap(name, raw)
    },
    onEvent(listener) {
      ensureStream()
      const off = events.add(listener)
      return () => {
        off()
        maybeClose()
      }
    },
    onConnection(listener) {
      ensureStream()
      const off = connection.add(listener)
      return () => {
        off()
        maybeClose()
      }
    },
    fileUrl: (imageId) => new URL(`/files/${encodeURIComponent(imageId)}`, opts.baseUrl).pathname,
  }
}
