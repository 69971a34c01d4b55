import { randomUUID } from 'node:crypto'
import { KitsumyError, LIMITS, type Character, type Comic, type CommandArgs, type CommandOutput, type NewPanel, type Page, type Panel } from '../contract/index.ts'
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

  // What a panel shows and who speaks in it must belong to this comic, and each bubble needs an id no other panel has.
  private checkContent(comic: Comic, panelId: string, content: Partial<Pick<Panel, 'characterIds' | 'bubbles'>>): void {
    const known = new Set(comic.characters.map((c) => c.id))
    if (content.characterIds?.some((id) => !known.has(id))) throw new KitsumyError('bad_input', 'A panel can only show characters of this comic.')
    if (content.bubbles?.some((b) => b.speakerId !== null && !known.has(b.speakerId))) throw new KitsumyError('bad_input', 'A bubble can only be spoken by a character of this comic.')
    if (content.bubbles) {
      const ids = content.bubbles.map((b) => b.id)
      const onOtherPanels = new Set(comic.pages.flatMap((p) => p.panels).filter((p) => p.id !== panelId).flatMap((p) => p.bubbles.map((b) => b.id)))
      if (new Set(ids).size !== ids.length || ids.some((id) => onOtherPanels.has(id) || this.library.comics.bubbleIdTaken(id, comic.id))) {
        throw new KitsumyError('bad_input', 'Each bubble needs an id of its own.')
      }
    }
  }

  updatePanel({ comicId, panelId, patch }: CommandArgs<'panels.update'>): Panel {
    const comic = this.load(comicId)
    const { panel } = findPanel(comic, panelId)
    this.checkContent(comic, panelId, patch)
    Object.assign(panel, patch)
    this.save(comic)
    return panel
  }

  // A panel about to join the comic: new, or one that was deleted coming back with its pictures. `draw` when it has none.
  private admit(comic: Comic, input: NewPanel): { panel: Panel; draw: boolean } {
    const owner = this.library.comics.versionOwner(input.id)
    if (this.library.comics.panel(input.id) || (owner !== null && owner !== comic.id)) throw new KitsumyError('bad_input', 'Each panel needs an id of its own.')
    this.checkContent(comic, input.id, input)
    const versions = this.library.comics.versions(input.id)
    if (input.image !== null && !versions.some((v) => v.image === input.image)) throw new KitsumyError('bad_input', 'A panel can only show one of its own pictures.')
    const latest = versions[versions.length - 1]
    const image = input.image ?? latest?.image ?? null
    const seed = input.image === null && latest ? latest.seed : input.seed
    return { panel: { ...input, seed, image, status: image ? 'done' : 'pending', error: null }, draw: image === null }
  }

  private layoutFor(comic: Comic, layoutId: string | undefined, panels: number): string {
    if (layoutId === undefined) return chooseLayout(panels, comic.seed)
    const layout = getLayout(layoutId)
    if (!layout) throw new KitsumyError('bad_input', 'There is no such page layout.')
    if (layout.panelCount !== panels) throw new KitsumyError('bad_input', `That layout holds ${layout.panelCount} panels; this page has ${panels}.`)
    return layoutId
  }

  updateComic({ comicId, patch }: CommandArgs<'comics.update'>): CommandOutput<'comics.update'> {
    const comic = this.load(comicId)
    Object.assign(comic, patch)
    this.save(comic)
    return { comicId, title: comic.title, styleId: comic.styleId }
  }

  addPanel({ comicId, pageId, index, layout, panel: input }: CommandArgs<'panels.add'>): { panel: Panel; draw: boolean } {
    const comic = this.load(comicId)
    const page = comic.pages.find((p) => p.id === pageId)
    if (!page) throw new KitsumyError('not_found', 'That page is not in this comic.')
    if (page.panels.length >= LIMITS.panelsPerPage) throw new KitsumyError('bad_input', `A page holds at most ${LIMITS.panelsPerPage} panels; add a page instead.`)
    const added = this.admit(comic, input)
    page.layout = this.layoutFor(comic, layout, page.panels.length + 1)
    page.panels.splice(Math.min(index, page.panels.length), 0, added.panel)
    this.save(comic)
    return added
  }

  deletePanel({ comicId, panelId, layout }: CommandArgs<'panels.delete'>): Page {
    const comic = this.load(comicId)
    const { page, index } = findPanel(comic, panelId)
    if (page.panels.length === 1) throw new KitsumyError('bad_input', 'This is the only panel on its page: delete the page instead.')
    page.layout = this.layoutFor(comic, layout, page.panels.length - 1)
    page.panels.splice(index, 1)
    this.save(comic)
    return page
  }

  addPage({ comicId, index, page: input }: CommandArgs<'pages.add'>): { page: Page; draw: string[] } {
    const comic = this.load(comicId)
    if (comic.pages.length >= LIMITS.pages) throw new KitsumyError('bad_input', `A comic holds at most ${LIMITS.pages} pages.`)
    if (comic.pages.some((p) => p.id === input.id) || new Set(input.panels.map((p) => p.id)).size !== input.panels.length) {
      throw new KitsumyError('bad_input', 'Each page and panel needs an id of its own.')
    }
    const page: Page = { id: input.id, layout: this.layoutFor(comic, input.layout, input.panels.length), panels: [] }
    const draw: string[] = []
    for (const p of input.panels) {
      const added = this.admit({ ...comic, pages: [...comic.pages, page] }, p)
      page.panels.push(added.panel)
      if (added.draw) draw.push(added.panel.id)
    }
    comic.pages.splice(Math.min(index, comic.pages.length), 0, page)
    this.save(comic)
    return { page, draw }
  }

  deletePage({ comicId, pageId }: CommandArgs<'pages.delete'>): { comicId: string } {
    const comic = this.load(comicId)
    if (!comic.pages.some((p) => p.id === pageId)) throw new KitsumyError('not_found', 'That page is not in this comic.')
    if (comic.pages.length === 1) throw new KitsumyError('bad_input', 'A comic needs at least one page.')
    comic.pages = comic.pages.filter((p) => p.id !== pageId)
    this.save(comic)
    return { comicId }
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
    if (patch.layout) page.layout = this.layoutFor(comic, patch.layout, page.panels.length)
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

  addCharacter({ comicId, index, character }: CommandArgs<'characters.add'>): Character {
    const comic = this.load(comicId)
    if (comic.characters.length >= LIMITS.characters) throw new KitsumyError('bad_input', `A comic has at most ${LIMITS.characters} characters.`)
    if (this.library.comics.characterIdTaken(character.id)) throw new KitsumyError('bad_input', 'Each character needs an id of its own.')
    if (character.referenceImage && !this.library.images.has(character.referenceImage)) throw new KitsumyError('bad_input', 'Upload the reference image first.')
    comic.characters.splice(Math.min(index, comic.characters.length), 0, character)
    this.save(comic)
    return character
  }

  deleteCharacter({ comicId, characterId }: CommandArgs<'characters.delete'>): { comicId: string } {
    const comic = this.load(comicId)
    const character = comic.characters.find((c) => c.id === characterId)
    if (!character) throw new KitsumyError('not_found', 'That character is not in this comic.')
    const panels = comic.pages.flatMap((p) => p.panels)
    const shown = panels.filter((p) => p.characterIds.includes(characterId)).length
    const lines = panels.flatMap((p) => p.bubbles).filter((b) => b.speakerId === characterId).length
    if (shown > 0 || lines > 0) {
      throw new KitsumyError('bad_input', `${character.name} is in ${shown} panel(s) and speaks ${lines} line(s): take them out of those first.`)
    }
    comic.characters = comic.characters.filter((c) => c.id !== characterId)
    this.save(comic)
    return { comicId }
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
