import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { CastDraft, PlotDraft, dialogueDraft, pagesDraft, strictResponseFormat } from '../../src/story/openai-schemas.ts'

function walk(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  if (!node || typeof node !== 'object') return
  if (!Array.isArray(node)) visit(node as Record<string, unknown>)
  for (const child of Object.values(node)) walk(child, visit)
}

describe('strict response formats', () => {
  const formats = [
    strictResponseFormat('kitsumy_plot', PlotDraft),
    strictResponseFormat('kitsumy_characters', CastDraft),
    strictResponseFormat('kitsumy_pages', pagesDraft(['mira', 'jonah'], 4)),
    strictResponseFormat('kitsumy_dialogue', dialogueDraft(['mira'], ['p1-1', 'p1-2'])),
  ]

  it('require every property, allow no others and carry no string length keywords', () => {
    for (const format of formats) {
      expect(format.json_schema.strict).toBe(true)
      walk(format.json_schema.schema, (node) => {
        expect(node).not.toHaveProperty('maxLength')
        expect(node).not.toHaveProperty('minLength')
        expect(node).not.toHaveProperty('$schema')
        if (node.type === 'object') {
          expect(node.additionalProperties).toBe(false)
          expect([...(node.required as string[])].sort()).toEqual(Object.keys(node.properties as object).sort())
        }
      })
    }
  })

  it('tell the model the length limits in words', () => {
    const plot = formats[0].json_schema.schema as { properties: { title: { description: string } } }
    expect(plot.properties.title.description).toContain('at most 120 characters')
  })

  it('pin a chunk to its page count and the dialogue to its panels', () => {
    const pages = pagesDraft(['mira'], 3)
    const panel = { shot: 'wide', scene: 'A harbour at dusk.', characters: ['mira'] }
    expect(pages.safeParse({ pages: [{ panels: [panel] }, { panels: [panel] }] }).success).toBe(false)
    expect(pages.safeParse({ pages: [{ panels: [panel] }, { panels: [panel] }, { panels: [panel] }] }).success).toBe(true)
    expect(pages.safeParse({ pages: [{ panels: [{ ...panel, characters: ['stranger'] }] }, { panels: [panel] }, { panels: [panel] }] }).success).toBe(false)
    const dialogue = dialogueDraft(['mira'], ['p1-1'])
    expect(dialogue.safeParse({ panels: [{ panel: 'p1-1', lines: [{ kind: 'speech', speaker: 'mira', text: 'Hi' }] }] }).success).toBe(true)
    expect(dialogue.safeParse({ panels: [{ panel: 'p9-9', lines: [] }] }).success).toBe(false)
  })

  it('refuse a schema strict mode cannot take', () => {
    expect(() => strictResponseFormat('loose', z.object({ a: z.string().optional() }))).toThrow(/not strict/)
  })
})
