import { describe, expect, it } from 'vitest'
import { retryAfterMs, scrubSecrets } from '../../src/story/openai-errors.ts'

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-02T10:00:00Z')

  it('prefers OpenAI retry-after-ms over retry-after', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1250.4', 'retry-after': '9' }), now)).toBe(1251)
  })

  it('reads retry-after as seconds or as an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000)
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }), now)).toBe(500)
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 02 Nov 2026 10:00:07 GMT' }), now)).toBe(7000)
  })

  it('says nothing when the server said nothing usable', () => {
    expect(retryAfterMs(new Headers(), now)).toBeNull()
    expect(retryAfterMs(undefined, now)).toBeNull()
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull()
  })
})

describe('scrubSecrets', () => {
  it('removes the key itself and anything shaped like an OpenAI key, masked or not', () => {
    const key = 'sk-proj-abcdef123456'
    expect(scrubSecrets(`bad key ${key} here`, key)).toBe('bad key [key] here')
    expect(scrubSecrets('Incorrect API key provided: sk-pr**********3456.', key)).toBe('Incorrect API key provided: [key].')
  })
})
