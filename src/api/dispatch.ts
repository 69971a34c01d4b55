import { z } from 'zod'
import { api, fail, isCommandName, ok, toApiError, type CommandArgs, type CommandName, type CommandOutput, type Envelope } from '../contract/index.ts'

export type Handlers = { [N in CommandName]: (args: CommandArgs<N>) => Promise<CommandOutput<N>> | CommandOutput<N> }
export type Dispatch = (command: string, input: unknown) => Promise<Envelope<unknown>>

const MAX_MESSAGE = 400

// Zod quotes the offending keys and values: hostile input must not come back at any length.
function describe(error: z.ZodError): string {
  const first = error.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
  const text = [...`Invalid input — ${first.join('; ')}`]
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE).join('')}…` : text.join('')
}

// Both transports end here: the input is checked against the contract before the engine sees it,
// and whatever happens the caller gets an envelope, never a thrown error.
export function createDispatch(handlers: Handlers): Dispatch {
  return async (command, input) => {
    if (!isCommandName(command)) return fail('unknown_command', `There is no command called "${command.slice(0, 80)}".`)
    const spec = api[command]
    const parsed = spec.input.safeParse(input ?? {})
    if (!parsed.success) return fail('bad_input', describe(parsed.error))
    try {
      const handler = handlers[command] as (args: unknown) => unknown
      const output = spec.output.parse(await handler(parsed.data))
      return ok(output)
    } catch (err) {
      return { ok: false, error: toApiError(err) }
    }
  }
}
