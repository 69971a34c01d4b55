import type { Clock } from '../../src/platform/clock.ts'
import type { StoryBrief } from '../../src/story/writer.ts'
import type { RecordedRequest } from '../fakes/openai-server.ts'

// Fires every timer on the next turn of the event loop and remembers what it was asked to wait,
// so retry waits are asserted without sleeping.
export class InstantClock implements Clock {
  readonly waits: number[] = []

  now(): number {
    return Date.now()
  }

  setTimeout(fn: () => void, ms: number): unknown {
    this.waits.push(ms)
    return setTimeout(fn, 0)
  }

  clearTimeout(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout)
  }
}

export const API_KEY = 'sk-proj-TESTKEY-9f8e7d6c5b4a3210'

export function brief(overrides: Partial<StoryBrief> = {}): StoryBrief {
  return { idea: 'A fox who steals lanterns to light a forgotten city', styleId: 'ink-wash', pages: 2, language: 'en', seed: 42, ...overrides }
}

export function promptText(request: RecordedRequest): string {
  return (request.body?.messages ?? []).map((m) => m.content).join('\n')
}

export function signal(): AbortSignal {
  return new AbortController().signal
}
