import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseLenientJson } from '../../src/story/json-repair.ts'

describe('parseLenientJson', () => {
  it('reads clean JSON without calling it repaired', () => {
    expect(parseLenientJson('{"a":[1,2,{"b":"c"}]}')).toEqual({ ok: true, value: { a: [1, 2, { b: 'c' }] }, repaired: false })
  })

  it('takes the document out of code fences and chatter, dropping trailing commas', () => {
    const text = 'Sure! Here it is:\n```json\n{\n  "title": "Fox, lanterns",\n  "arc": ["one", "two",],\n}\n```\nHope this helps {really}.'
    expect(parseLenientJson(text)).toEqual({ ok: true, value: { title: 'Fox, lanterns', arc: ['one', 'two'] }, repaired: true })
  })

  it('closes a document cut inside a string', () => {
    expect(parseLenientJson('{"title":"Fox","arc":["one","tw')).toEqual({ ok: true, value: { title: 'Fox', arc: ['one', 'tw'] }, repaired: true })
  })

  it('drops a dangling key or comma when the cut falls between members', () => {
    expect(parseLenientJson('{"a":1,"b":')).toMatchObject({ ok: true, value: { a: 1 } })
    expect(parseLenientJson('{"a":1,"b"')).toMatchObject({ ok: true, value: { a: 1 } })
    expect(parseLenientJson('{"a":[1,2,')).toMatchObject({ ok: true, value: { a: [1, 2] } })
    expect(parseLenientJson('{"a":{"b":[')).toMatchObject({ ok: true, value: { a: { b: [] } } })
  })

  it('keeps escaped quotes and brackets inside strings intact', () => {
    expect(parseLenientJson('{"t":"say \\"hi]}\\"","u":"x')).toMatchObject({ ok: true, value: { t: 'say "hi]}"', u: 'x' } })
  })

  it('gives up on prose with a reason instead of guessing', () => {
    const result = parseLenientJson("I'm sorry, I can only tell this story in prose.")
    expect(result).toEqual({ ok: false, error: 'no JSON object in the answer' })
  })

  it('recovers an object from every truncation of a document, whatever was cut', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.nat(), (value, cutAt) => {
      const text = JSON.stringify({ v: value, after: [1, 'two'] })
      expect(parseLenientJson(text)).toEqual({ ok: true, value: JSON.parse(text), repaired: false })
      const cut = parseLenientJson(text.slice(0, 1 + (cutAt % text.length)))
      expect(cut.ok).toBe(true)
      if (cut.ok) expect(typeof cut.value).toBe('object')
    }), { numRuns: 300 })
  })
})
