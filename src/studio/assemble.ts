import { randomUUID } from 'node:crypto'
import type { Bubble, Character, Comic, Page, Script } from '../contract/index.ts'
import { hashSeed, seededRandom } from '../platform/random.ts'
import { chooseLayout, layoutRects } from '../pages/layouts.ts'
import { headScaleOf } from '../pages/framing.ts'
import { defaultSpeakerSpots, placeDefaultBubbles } from '../pages/lettering.ts'

// Turns a writer's script into the comic's characters, pages, panels and bubbles, with ids and seeds.
export function assembleComic(comic: Comic, script: Script): Comic {
  const rand = seededRandom(comic.seed ^ hashSeed(script.title))
  const byKey = new Map<string, Character>()
  const characters = script.characters.map((c) => {
    const character: Character = {
      id: randomUUID(),
      name: c.name,
      role: c.role,
      look: c.look,
      seed: Math.floor(rand() * 2 ** 31),
      referenceImage: null,
    }
    byKey.set(c.key, character)
    byKey.set(c.name.toLowerCase(), character)
    return character
  })
  const resolve = (ref: string | null): Character | undefined => (ref ? byKey.get(ref) ?? byKey.get(ref.toLowerCase()) : undefined)

  const pages: Page[] = script.pages.map((sp, pageIndex) => {
    const layout = sp.layout ?? chooseLayout(sp.panels.length, comic.seed + pageIndex)
    const rects = layoutRects(layout, undefined, comic.readingOrder)
    return {
      id: randomUUID(),
      layout,
      panels: sp.panels.map((p, panelIndex) => {
        const cast = [...new Set(p.characters.map(resolve).filter((c): c is Character => c !== undefined))]
        const castIds = cast.map((c) => c.id)
        const placed = placeDefaultBubbles(
          p.lines.map((line) => ({ kind: line.kind, text: line.text, speakerId: resolve(line.speaker)?.id ?? null })),
          rects[panelIndex],
          defaultSpeakerSpots(castIds, p.shot, comic.readingOrder, rects[panelIndex], headScaleOf(comic.styleId)),
          { language: comic.language, readingOrder: comic.readingOrder },
        )
        const bubbles: Bubble[] = placed.map((b) => ({ ...b, id: randomUUID() }))
        return {
          id: randomUUID(),
          shot: p.shot,
          scene: p.scene,
          characterIds: castIds,
          seed: Math.floor(rand() * 2 ** 31),
          image: null,
          status: 'pending' as const,
          error: null,
          bubbles,
        }
      }),
    }
  })

  return { ...comic, title: script.title, summary: script.summary, characters, pages }
}
