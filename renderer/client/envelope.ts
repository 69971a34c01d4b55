import type { CommandName, CommandOutput, StudioEvent } from '../../src/contract/index.ts'
import type { ClientError } from './types.ts'

type Checks = typeof import('./checks.ts')

// Building the contract's zod schemas is most of the app's start-up script time, and the first screen
// only displays what the engine (which checks its own output against the same contract) sent. So the
// checks load once the first screen is up (loadChecks), answers taken before that are checked as soon
// as they land, and everything else — errors, odd shapes, events — waits for them.
let checks: Checks | null = null
let loading: Promise<Checks> | null = null
let markReady: (loaded: Checks) => void = () => {}
const ready = new Promise<Checks>((resolve) => { markReady = resolve })

export function loadChecks(): Promise<Checks> {
  loading ??= import('./checks.ts').then((loaded) => {
    checks = loaded
    markReady(loaded)
    return loaded
  }, (err: unknown) => {
    loading = null
    throw err
  })
  return loading
}

const lateFailures = new Set<(err: ClientError) => void>()

// An answer that was shown before the checks loaded and then failed them: an engine bug worth saying out loud.
export function onLateFailure(listener: (err: ClientError) => void): () => void {
  lateFailures.add(listener)
  return () => lateFailures.delete(listener)
}

function isOk(raw: unknown): raw is { ok: true; data: unknown } {
  return typeof raw === 'object' && raw !== null && (raw as { ok?: unknown }).ok === true && 'data' in raw
}

export async function unwrap<N extends CommandName>(name: N, raw: unknown): Promise<CommandOutput<N>> {
  if (checks) return checks.checkAnswer(name, raw)
  if (!isOk(raw)) return (await loadChecks()).checkAnswer(name, raw)
  void ready.then((loaded) => {
    try {
      loaded.checkAnswer(name, raw)
    } catch (err) {
      for (const listener of lateFailures) listener(err as ClientError)
    }
  })
  return raw.data as CommandOutput<N>
}

// Events keep their order: those that arrive before the checks wait for them in line.
export function deliverEvent(raw: unknown, emit: (event: StudioEvent) => void): void {
  const take = (loaded: Checks) => {
    const event = loaded.checkEvent(raw)
    if (event) emit(event)
  }
  if (checks) take(checks)
  else void ready.then(take)
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
