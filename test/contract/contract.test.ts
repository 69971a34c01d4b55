import { describe, expect, it } from 'vitest'
import { api, Comic, CreateComicInput, KitsumyError, STYLE_IDS, StudioEvent, toApiError } from '../../src/contract/index.ts'
import { syntheticComic } from '../support/fixtures.ts'

describe('contract', () => {
  it('has 20 style ids and a schema pair for every command', () => {
    expect(STYLE_IDS).toHaveLength(20)
    for (const [name, spec] of Object.entries(api)) {
      expect(spec.input, name).toBeDefined()
      expect(spec.output, name).toBeDefined()
    }
  })

  it('accepts a well-formed comic and rejects a broken one', () => {
    const comic = syntheticComic(1, 8)
    expect(Comic.parse(comic).pages).toHaveLength(2)
    expect(Comic.safeParse({ ...comic, styleId: 'crayon' }).success).toBe(false)
    const bad = structuredClone(comic)
    bad.pages[0].panels[0].bubbles[0].x = 3
    expect(Comic.safeParse(bad).success).toBe(false)
  })

  it('validates comic creation input with defaults and limits', () => {
    const parsed = CreateComicInput.parse({ idea: 'A fox detective', styleId: 'shonen', pages: 3 })
    expect(parsed).toMatchObject({ readingOrder: 'ltr', urgent: false })
    expect(CreateComicInput.safeParse({ idea: 'x'.repeat(1_000_000), styleId: 'shonen', pages: 3 }).success).toBe(false)
    expect(CreateComicInput.safeParse({ idea: 'ok idea', styleId: 'shonen', pages: 25 }).success).toBe(false)
    expect(CreateComicInput.safeParse({ idea: 'ok idea', styleId: 'shonen', pages: 2, extra: 1 }).success).toBe(false)
  })

  it('rejects ids that could reach SQL or a path', () => {
    expect(api['comics.get'].input.safeParse({ comicId: "x' OR 1=1 --" }).success).toBe(false)
    expect(api['comics.get'].input.safeParse({ comicId: '../../etc/passwd' }).success).toBe(false)
  })

  it('discriminates events by type', () => {
    expect(StudioEvent.parse({ type: 'generation_progress', comicId: 'c1', current: 1, total: 5 }).type).toBe('generation_progress')
    expect(StudioEvent.safeParse({ type: 'pod_booting', podId: 'p' }).success).toBe(false)
  })

  it('turns errors into envelopes without leaking internals', () => {
    expect(toApiError(new KitsumyError('rate_limit', 'slow down'))).toEqual({ code: 'rate_limit', message: 'slow down', retryable: true })
    const internal = toApiError(new Error('SqliteError at /home/me/secret path'))
    expect(internal.code).toBe('internal')
    expect(internal.message).not.toContain('secret')
  })
})
