import { z } from 'zod'
import { Script, ScriptLine, ScriptPage, ScriptPanel } from '../contract/index.ts'

// What the model answers at each step. Built from the Script schema's parts, so a step's answer
// slots into the script without a second definition of its shape.

export const PlotDraft = z.object({
  title: Script.shape.title,
  summary: Script.shape.summary,
  arc: z.array(z.string().min(1).max(400)).min(3).max(8),
})
export type PlotDraft = z.infer<typeof PlotDraft>

export const CastDraft = z.object({ characters: Script.shape.characters })
export type CastDraft = z.infer<typeof CastDraft>

// Character keys and panel references are enums, so strict decoding cannot invent a character or
// skip a panel; the fixed array lengths make a chunk answer exactly the pages it was asked for.
export function pagesDraft(keys: readonly string[], pageCount: number) {
  const Outline = ScriptPanel.pick({ shot: true, scene: true }).extend({
    characters: z.array(keyEnum(keys)).max(maxItemsOf(ScriptPanel.shape.characters)),
  })
  return z.object({
    pages: z.array(z.object({
      panels: z.array(Outline).min(minItemsOf(ScriptPage.shape.panels)).max(maxItemsOf(ScriptPage.shape.panels)),
    })).length(pageCount),
  })
}
export type PagesDraft = z.infer<ReturnType<typeof pagesDraft>>
export type PanelOutline = PagesDraft['pages'][number]['panels'][number]

export function dialogueDraft(keys: readonly string[], panelRefs: readonly string[]) {
  const Line = ScriptLine.extend({ speaker: keyEnum(keys).nullable() })
  return z.object({
    panels: z.array(z.object({
      panel: z.enum(panelRefs as [string, ...string[]]),
      lines: z.array(Line).max(maxItemsOf(ScriptPanel.shape.lines)),
    })).length(panelRefs.length),
  })
}
export type DialogueDraft = z.infer<ReturnType<typeof dialogueDraft>>

// zod 4 keeps array limits inside its checks; its JSON Schema is the public way to read them.
function maxItemsOf(schema: z.ZodArray): number {
  const limit = z.toJSONSchema(schema).maxItems
  if (typeof limit !== 'number') throw new Error('array schema has no maximum')
  return limit
}

function minItemsOf(schema: z.ZodArray): number {
  return z.toJSONSchema(schema).minItems ?? 0
}

function keyEnum(keys: readonly string[]) {
  if (keys.length === 0) throw new Error('a step schema needs at least one character key')
  return z.enum(keys as [string, ...string[]])
}

export interface JsonSchemaFormat {
  type: 'json_schema'
  json_schema: { name: string; strict: true; schema: Record<string, unknown> }
}

// OpenAI's strict mode accepts a subset of JSON Schema: every property required, no extra
// properties, no string length limits. Lengths move into the description the model reads; zod
// still enforces them on the answer.
export function strictResponseFormat(name: string, schema: z.ZodType): JsonSchemaFormat {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>
  delete json.$schema
  return { type: 'json_schema', json_schema: { name, strict: true, schema: toStrict(json, name) } }
}

function toStrict(node: Record<string, unknown>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const limits: string[] = []
  for (const [key, value] of Object.entries(node)) {
    if (key === 'minLength') limits.push(value === 1 ? 'not empty' : `at least ${value} characters`)
    else if (key === 'maxLength') limits.push(`at most ${value} characters`)
    else if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Record<string, unknown>>)
        .map(([prop, sub]) => [prop, toStrict(sub, `${path}.${prop}`)]))
    } else if (key === 'items') out.items = toStrict(value as Record<string, unknown>, `${path}[]`)
    else if (key === 'anyOf') out.anyOf = (value as Record<string, unknown>[]).map((sub) => toStrict(sub, path))
    else out[key] = value
  }
  if (limits.length > 0) {
    const described = typeof out.description === 'string' ? `${out.description} ` : ''
    out.description = `${described}(${limits.join(', ')})`
  }
  if (out.type === 'object') {
    const props = Object.keys((out.properties as Record<string, unknown> | undefined) ?? {})
    const required = new Set((out.required as string[] | undefined) ?? [])
    if (out.additionalProperties !== false || props.some((p) => !required.has(p))) {
      throw new Error(`schema ${path} is not strict: every property must be required and no others allowed`)
    }
  }
  return out
}
