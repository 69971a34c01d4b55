import { z } from 'zod'
import { ApiError, StudioEvent, api, type CommandName, type CommandOutput } from '../../src/contract/index.ts'
import { ClientError } from './types.ts'

// The contract's schemas, loaded apart from the first screen's code (see envelope.ts).
const EnvelopeShape = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiError }),
])

// Checks what came back against the contract, so a screen never acts on a shape it did not ask for.
export function checkAnswer<N extends CommandName>(name: N, raw: unknown): CommandOutput<N> {
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

export function checkEvent(raw: unknown): StudioEvent | null {
  const parsed = StudioEvent.safeParse(raw)
  return parsed.success ? parsed.data : null
}
