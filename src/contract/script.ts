import { z } from 'zod'
import { BubbleKind, CharacterLook, LIMITS, Shot } from './domain.ts'

// What a story writer hands back: no ids yet, characters referred to by their key.
export const ScriptCharacter = z.object({
  key: z.string().regex(/^[a-z0-9_-]{1,32}$/),
  name: z.string().min(1).max(80),
  role: z.string().max(200),
  look: CharacterLook,
})
export type ScriptCharacter = z.infer<typeof ScriptCharacter>

export const ScriptLine = z.object({
  kind: BubbleKind,
  speaker: z.string().nullable(),
  text: z.string().min(1).max(600),
})
export type ScriptLine = z.infer<typeof ScriptLine>

export const ScriptPanel = z.object({
  shot: Shot,
  scene: z.string().min(1).max(1000),
  characters: z.array(z.string()).max(6),
  lines: z.array(ScriptLine).max(6),
})
export type ScriptPanel = z.infer<typeof ScriptPanel>

export const ScriptPage = z.object({
  layout: z.string().max(40).nullable(),
  panels: z.array(ScriptPanel).min(1).max(LIMITS.panelsPerPage),
})
export type ScriptPage = z.infer<typeof ScriptPage>

export const Script = z.object({
  title: z.string().min(1).max(120),
  summary: z.string().max(2000),
  characters: z.array(ScriptCharacter).min(1).max(8),
  pages: z.array(ScriptPage).min(1).max(LIMITS.pages),
})
export type Script = z.infer<typeof Script>
