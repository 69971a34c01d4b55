import type { Language, Script, StoryStep, StyleId } from '../contract/index.ts'

export interface StoryBrief {
  idea: string
  styleId: StyleId
  pages: number
  language: Language
  seed: number
}

export interface WriteOptions {
  signal: AbortSignal
  onStep?: (step: StoryStep, status: 'started' | 'done') => void
}

// A story writer turns a brief into a script the zod schema accepts, or throws a KitsumyError.
export interface StoryWriter {
  readonly id: 'offline' | 'openai'
  write(brief: StoryBrief, options: WriteOptions): Promise<Script>
}
