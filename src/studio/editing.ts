import { randomUUID } from 'node:crypto'
import { KitsumyError, type Character, type Comic, type CommandArgs, type CommandOutput, type Page, type Panel } from '../contract/index.ts'
import type { Library } from '../library/library.ts'
import type { Clock } from '../platform/clock.ts'
import { chooseLayout, getLayout } from '../pages/layouts.ts'
import type { EventBus } from './event-bus.ts'

export function findPanel(comic: Comic, panelId: string): { page: Page; panel: Panel; index: number } {
  for (const page of comic.pages) {
    const index = page.panels.findIndex((p) => p.id === panelId)
    if (index >= 0) return { page, panel: page.panels[index], index }
  }
  throw new KitsumyError('not_found', 'That panel is not in this comic.')
}

function samePermutation(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && new Set(a).size === a.length && a.every((id) => b.includes(id))
}

// Every user edit of a comic: read, change, write back in one transaction, tell the shells.
export class Editing {
  private readonly library: Library
  private readonly clock: Clock
  private readonly events: EventBus

  constructor(library: Library, clock: Clock, events: EventBus) {
    this.library = library
    this.clock = clock
    this.events = events
  }

  load(comicId: string): Comic {
    const comic = this.library.comics.get(comicId)
    if (!comic) throw new KitsumyError('not_found', 'There is no such comic in the library.')
    return comic
  }

  private save(comic: Comic): void {
    this.library.comics.replace({ ...comic, updatedAt: this.clock.now() })
    this.events.emit({ type: 'comic_updated', comicId: comic.id, status: comic.status })
  }

  updatePanel({ comicId, panelId, patch }: CommandArgs<'panels.update'>): Panel {
    const comic = this.load(comicId)
    const { panel } = findPanel(comic, panelId)
    const known = new Set(comic.characters.map((c) => c.id))
    if (patch.characterIds?.some((id) => !known.has(id))) throw new KitsumyError('bad_input', 'A panel can only show characters of this comic.')
    if (patch.bubbles?.some((b) => b.speakerId !== null && !known.has(b.speakerId))) throw new KitsumyError('bad_input', 'A bubble can only be spoken by a character of this comic.')
    if (patch.bubbles) {
      const ids = patch.bubbles.map((b) => b.id)
      const onOtherPanels = new Set(comic.pages.flatMap((p) => p.panels).filter((p) => p.id !== panelId).flatMap((p) => p.bubbles.map((b) => b.id)))
      if (new Set(ids).size !== ids.length || ids.some((id) => onOtherPanels.has(id) || this.library.comics.bubbleIdTaken(id, comicId))) {
        throw new KitsumyError('bad_input', 'Each bubble needs an id of its own.')
      }
    }
    Object.assign(panel, patch)
    this.save(comic)
    return panel
  }

  updatePage({ comicId, pageId, patch }: CommandArgs<'pages.update'>): Page {
    const comic = this.load(comicId)
    const page = comic.pages.find((p) => p.id === pageId)
    if (!page) throw new KitsumyError('not_found', 'That page is not in this comic.')
    if (patch.panelIds) {
      // Panels may be dragged in from other pages; a page left empty goes away.
      const moving = patch.panelIds.map((id) => findPanel(comic, id).panel)
      if (new Set(patch.panelIds).size !== patch.panelIds.length) throw new KitsumyError('bad_input', 'A panel can appear only once.')
      for (const other of comic.pages) other.panels = other.panels.filter((p) => !patch.panelIds!.includes(p.id))
      page.panels = moving
      comic.pages = comic.pages.filter((p) => p.panels.length > 0)
      if (!getLayout(page.layout) || getLayout(page.layout)!.panelCount !== page.panels.length) page.layout = chooseLayout(page.panels.length, comic.seed)
      for (const other of comic.pages) {
        if (other !== page && getLayout(other.layout)?.panelCount !== other.panels.length) other.layout = chooseLayout(other.panels.length, comic.seed)
      }
    }
    if (patch.layout) {
      const layout = getLayout(patch.layout)
      if (!layout) throw new KitsumyError('bad_input', 'There is no such page layout.')
      if (layout.panelCount !== page.panels.length) throw new KitsumyError('bad_input', `That layout holds ${layout.panelCount} panels; this page has ${page.panels.length}.`)
      page.layout = patch.layout
    }
    this.save(comic)
    return page
  }

  reorderPages({ comicId, pageIds }: CommandArgs<'comics.reorderPages'>): { comicId: string } {
    const comic = this.load(comicId)
    if (!samePermutation(pageIds, comic.pages.map((p) => p.id))) throw new KitsumyError('bad_input', 'Give every page of the comic exactly once.')
    comic.pages = pageIds.map((id) => comic.pages.find((p) => p.id === id)!)
    this.save(comic)
    return { comicId }
  }

  updateCharacter({ comicId, characterId, patch }: CommandArgs<'characters.update'>): Character {
    const comic = this.load(comicId)
    const character = comic.characters.find((c) => c.id === characterId)
    if (!character) throw new KitsumyError('not_found', 'That character is not in this comic.')
    if (patch.referenceImage && !this.library.images.has(patch.referenceImage)) throw new KitsumyError('bad_input', 'Upload the reference image first.')
    Object.assign(character, patch)
    this.save(comic)
    return character
  }

  versions({ comicId, panelId }: CommandArgs<'panels.versions'>): CommandOutput<'panels.versions'> {
    const { panel } = findPanel(this.load(comicId), panelId)
    return this.library.comics.versions(panelId).map((v) => ({ ...v, current: v.image === panel.image }))
  }

  pickVersion({ comicId, panelId, image }: CommandArgs<'panels.pickVersion'>): Panel {
    const comic = this.load(comicId)
    const { panel } = findPanel(comic, panelId)
    const version = this.library.comics.versions(panelId).find((v) => v.image === image)
    if (!version) throw new KitsumyError('not_found', 'That image is not a version of this panel.')
    Object.assign(panel, { image, seed: version.seed, status: 'done', error: null })
    this.save(comic)
    return panel
  }

  duplicate({ comicId }: CommandArgs<'comics.duplicate'>): { comicId: string } {
    const source = this.load(comicId)
    const ids = new Map<string, string>()
    const fresh = (old: string) => {
      const id = randomUUID()
      ids.set(old, id)
      return id
    }
    const now = this.clock.now()
    const characters = source.characters.map((c) => ({ ...c, id: fresh(c.id) }))
    const copy: Comic = {
      ...source,
      id: randomUUID(),
      title: `${source.title} (copy)`.slice(0, 120),
      status: source.status === 'writing' || source.status === 'generating' ? 'partial' : source.status,
      createdAt: now,
      updatedAt: now,
      trashedAt: null,
      characters,
      pages: source.pages.map((page) => ({
        ...page,
        id: randomUUID(),
        panels: page.panels.map((panel) => ({
          ...panel,
          id: fresh(panel.id),
          status: panel.image ? 'done' : panel.status === 'generating' ? 'pending' : panel.status,
          characterIds: panel.characterIds.map((id) => ids.get(id) ?? id),
          bubbles: panel.bubbles.map((b) => ({ ...b, id: randomUUID(), speakerId: b.speakerId ? ids.get(b.speakerId) ?? null : null })),
        })),
      })),
    }
    this.library.db.transaction(() => {
      this.library.comics.insert(copy)
      for (const page of source.pages) for (const panel of page.panels) this.library.comics.copyVersions(copy.id, ids.get(panel.id)!, panel.id)
    })()
    return { comicId: copy.id }
  }
}
