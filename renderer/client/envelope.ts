import { z } from 'zod'
import { ApiError, StudioEvent, api, type CommandName, type CommandOutput } from '../../src/contract/index.ts'
import { ClientError } from './types.ts'

const EnvelopeShape = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiError }),
])

// Checks what came back against the contract, so a screen never renders a shape it did not ask for.
export function unwrap<N extends CommandName>(name: N, raw: unknown): CommandOutput<N> {
  const envelope = EnvelopeShape.safeParse(raw)
  if (!envelope.success) throw new ClientError('bad_response', `${name}: the engine answered without an envelope`)
  if (!envelope.data.ok) {
    const { code, message, retryable } = envelope.data.error
    throw new ClientError(code, message, retryable)
  }
  const output = api[name].output.safeParse(envelope.data.data)
  if (!output.success) throw new ClientError('bad_response', `${name}: ${z.prettifyError(output.error)}`)
  return output.data as CommandOutput<N>
}

export function parseEvent(raw: unknown): StudioEvent | null {
  const parsed = StudioEvent.safeParse(raw)
  return parsed.success ? parsed.data : null
}

// A tiny listener set shared by both transports.
export class Emitter<T> {
  private listeners = new Set<(value: T) => void>()

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(value: T): void {
    for (const listener of this.listeners) listener(value)
  }

  get size(): number {
    return this.listeners.size
  }
}
