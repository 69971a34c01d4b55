import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// The library's first view is held to 300 ms (bench:ui): the code the page loads before anything else must not
// carry the contract's zod checks (they load once the first screen is up) nor the catalog of a language not shown.
const OUT = join(import.meta.dirname, '..', '..', 'out', 'renderer')

function firstScreenChunks(): { name: string; text: string }[] {
  const html = readFileSync(join(OUT, 'index.html'), 'utf8')
  const names = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1])
  return names.map((name) => ({ name, text: readFileSync(join(OUT, 'assets', name), 'utf8') }))
}

describe('the first screen of the built studio', () => {
  it('loads its entry and preloaded chunks without zod or the Ukrainian catalog', () => {
    const chunks = firstScreenChunks()
    expect(chunks.map((c) => c.name).some((n) => n.startsWith('index-'))).toBe(true)
    expect(chunks.length).toBeGreaterThanOrEqual(2)
    for (const chunk of chunks) {
      expect(chunk.text.includes('_zod'), `${chunk.name} carries zod`).toBe(false)
      expect(chunk.text.includes('Хмарне малювання призупинено'), `${chunk.name} carries the Ukrainian catalog`).toBe(false)
    }
  })

  it('would notice zod in them: it is in the contract chunk, which the first screen only imports later', () => {
    const chunks = firstScreenChunks()
    const contract = readdirSync(join(OUT, 'assets')).filter((n) => /^contract-.*\.js$/.test(n))
    expect(contract).toHaveLength(1)
    expect(readFileSync(join(OUT, 'assets', contract[0]), 'utf8').includes('_zod')).toBe(true)
    expect(chunks.map((c) => c.name)).not.toContain(contract[0])
    expect(chunks.some((c) => c.text.includes(`import("./${contract[0]}")`) || c.text.includes(`"./${contract[0]}"`))).toBe(true)
  })
})
