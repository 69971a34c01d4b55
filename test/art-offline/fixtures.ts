import type { Character, Panel, Script, StyleId } from '../../src/contract/index.ts'
import { OfflineWriter } from '../../src/story/offline-writer.ts'

export interface MiniComic {
  styleId: StyleId
  characters: Character[]
  panels: Panel[]
}

// The parts of a comic the art side reads, built from an offline script with fixed ids and seeds.
export function comicFrom(script: Script, styleId: StyleId): MiniComic {
  const characters: Character[] = script.characters.map((c, i) => ({
    id: `ch-${c.key}`, name: c.name, role: c.role, look: c.look, seed: 1000 + i * 7919, referenceImage: null,
  }))
  const byKey = new Map(script.characters.map((c, i) => [c.key, characters[i]]))
  const panels: Panel[] = script.pages.flatMap((page, p) => page.panels.map((panel, i) => ({
    id: `p${p}-${i}`, shot: panel.shot, scene: panel.scene,
    characterIds: panel.characters.map((k) => byKey.get(k)?.id ?? k),
    seed: p * 100 + i, image: null, status: 'pending' as const, error: null, bubbles: [],
  })))
  return { styleId, characters, panels }
}

export async function writeComic(idea: string, styleId: StyleId, pages = 8): Promise<MiniComic> {
  const script = await new OfflineWriter().write({ idea, styleId, pages, language: 'en', seed: 3 }, { signal: new AbortController().signal })
  return comicFrom(script, styleId)
}
