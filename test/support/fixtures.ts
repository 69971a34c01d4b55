import { randomUUID } from 'node:crypto'
import { STYLE_IDS, type Comic } from '../../src/contract/index.ts'
import type { Library } from '../../src/library/library.ts'
import { seededRandom, pick } from '../../src/platform/random.ts'

const WORDS = ['fox', 'tram', 'rain', 'Kyiv', 'moon', 'robot', 'cat', 'harbor', 'forest', 'detective', 'dragon', 'market', 'кіт', 'трамвай']

// A synthetic but schema-valid comic, for filling big libraries in benchmarks and tests.
export function syntheticComic(i: number, panelsPerComic = 40, now = 1_700_000_000_000): Comic {
  const rand = seededRandom(i + 1)
  const pages = Math.ceil(panelsPerComic / 4)
  const characters = [0, 1].map((c) => ({
    id: randomUUID(), name: `${pick(rand, WORDS)} ${c}`, role: 'hero',
    look: { face: 'round', hair: 'short red', build: 'slim', outfit: 'coat', colors: ['#aa3300'] },
    seed: Math.floor(rand() * 1e9), referenceImage: null,
  }))
  let left = panelsPerComic
  return {
    id: randomUUID(),
    title: `${pick(rand, WORDS)} and the ${pick(rand, WORDS)} #${i}`,
    idea: `A story about a ${pick(rand, WORDS)} and a ${pick(rand, WORDS)}`,
    summary: 'synthetic', styleId: STYLE_IDS[i % STYLE_IDS.length], language: 'en', readingOrder: 'ltr',
    status: 'done', seed: i, cover: null, pageCount: pages, panelCount: panelsPerComic,
    createdAt: now + i * 1000, updatedAt: now + i * 1000, trashedAt: null, characters,
    pages: Array.from({ length: pages }, () => {
      const n = Math.min(4, left)
      left -= n
      return {
        id: randomUUID(), layout: 'grid-2x2',
        panels: Array.from({ length: n }, () => {
          const panelId = randomUUID()
          return {
            id: panelId, shot: 'medium' as const, scene: 'a street in the rain', characterIds: [characters[0].id],
            seed: Math.floor(rand() * 1e9), image: null, status: 'done' as const, error: null,
            bubbles: [{ id: randomUUID(), kind: 'speech' as const, text: 'Hello there!', speakerId: characters[0].id,
              x: 0.05, y: 0.05, w: 0.4, h: 0.2, tailX: 0.3, tailY: 0.5 }],
          }
        }),
      }
    }),
  }
}

export function fillLibrary(library: Library, count: number, panelsPerComic = 40): string[] {
  const ids: string[] = []
  library.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const comic = syntheticComic(i, panelsPerComic)
      library.comics.insert(comic)
      ids.push(comic.id)
    }
  })()
  return ids
}
