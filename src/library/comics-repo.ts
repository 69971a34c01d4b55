import type { Bubble, Character, Comic, ComicStatus, ComicSummary, Page, Panel, PanelStatus } from '../contract/index.ts'
import type { Db } from './database.ts'

type Row = Record<string, unknown>

export interface ListQuery {
  query: string
  sort: 'updated' | 'created' | 'title'
  trashed: boolean
  offset: number
  limit: number
}

const SORT_SQL: Record<ListQuery['sort'], string> = {
  updated: 'updated_at DESC, id',
  created: 'created_at DESC, id',
  title: 'title COLLATE NOCASE, id',
}

const SUMMARY_COLUMNS = `id, title, idea, style_id, language, reading_order, status, page_count, panel_count, cover, created_at, updated_at, trashed_at`

function toSummary(r: Row): ComicSummary {
  return {
    id: r.id as string,
    title: r.title as string,
    idea: r.idea as string,
    styleId: r.style_id as ComicSummary['styleId'],
    language: r.language as ComicSummary['language'],
    readingOrder: r.reading_order as ComicSummary['readingOrder'],
    status: r.status as ComicStatus,
    pageCount: r.page_count as number,
    panelCount: r.panel_count as number,
    cover: (r.cover as string | null) ?? null,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
    trashedAt: (r.trashed_at as number | null) ?? null,
  }
}

function searchText(comic: Pick<Comic, 'title' | 'idea' | 'characters'>): string {
  return [comic.title, comic.idea, ...comic.characters.map((c) => c.name)].join('\n').toLowerCase()
}

function likePattern(query: string): string {
  return `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

// Comics and everything inside them. Whole-comic writes are one transaction, so a crash leaves either the old or the new comic.
export class ComicsRepo {
  private readonly db: Db
  private readonly stmts

  constructor(db: Db) {
    this.db = db
    this.stmts = {
      insertComic: db.prepare(`INSERT INTO comics (id, title, idea, summary, style_id, language, reading_order, status, seed, cover,
        page_count, panel_count, search_text, created_at, updated_at, trashed_at)
        VALUES (@id, @title, @idea, @summary, @styleId, @language, @readingOrder, @status, @seed, @cover,
        @pageCount, @panelCount, @searchText, @createdAt, @updatedAt, @trashedAt)`),
      updateComic: db.prepare(`UPDATE comics SET title=@title, summary=@summary, style_id=@styleId, status=@status, cover=@cover, page_count=@pageCount,
        panel_count=@panelCount, search_text=@searchText, updated_at=@updatedAt WHERE id=@id`),
      insertCharacter: db.prepare(`INSERT INTO characters (id, comic_id, position, name, role, look, seed, reference_image)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      insertPage: db.prepare(`INSERT INTO pages (id, comic_id, position, layout) VALUES (?, ?, ?, ?)`),
      insertPanel: db.prepare(`INSERT INTO panels (id, comic_id, page_id, position, shot, scene, character_ids, seed, image, status, error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertBubble: db.prepare(`INSERT INTO bubbles (id, comic_id, panel_id, position, kind, text, speaker_id, x, y, w, h, tail_x, tail_y)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      comicRow: db.prepare(`SELECT * FROM comics WHERE id = ?`),
      characters: db.prepare(`SELECT * FROM characters WHERE comic_id = ? ORDER BY position`),
      pages: db.prepare(`SELECT * FROM pages WHERE comic_id = ? ORDER BY position`),
      panels: db.prepare(`SELECT * FROM panels WHERE comic_id = ? ORDER BY position`),
      bubbles: db.prepare(`SELECT * FROM bubbles WHERE comic_id = ? ORDER BY position`),
      deleteChildren: [
        db.prepare(`DELETE FROM bubbles WHERE comic_id = ?`),
        db.prepare(`DELETE FROM panels WHERE comic_id = ?`),
        db.prepare(`DELETE FROM pages WHERE comic_id = ?`),
        db.prepare(`DELETE FROM characters WHERE comic_id = ?`),
      ],
      setStatus: db.prepare(`UPDATE comics SET status = ?, updated_at = ? WHERE id = ?`),
      setTrashed: db.prepare(`UPDATE comics SET trashed_at = ?, updated_at = ? WHERE id = ?`),
      panelImage: db.prepare(`UPDATE panels SET image = ?, status = ?, error = ? WHERE id = ?`),
      panelStatus: db.prepare(`UPDATE panels SET status = ?, error = ? WHERE id = ?`),
      panelRow: db.prepare(`SELECT * FROM panels WHERE id = ?`),
      characterRow: db.prepare(`SELECT 1 FROM characters WHERE id = ?`),
      bubbleElsewhere: db.prepare(`SELECT 1 FROM bubbles WHERE id = ? AND comic_id <> ?`),
      // The library card shows the comic's first drawn panel, whichever panel that is after a drawing or an edit.
      refreshCover: db.prepare(`UPDATE comics SET cover = COALESCE((SELECT image FROM panels WHERE comic_id = @id AND image IS NOT NULL
        ORDER BY position LIMIT 1), cover) WHERE id = @id`),
      panelCounts: db.prepare(`SELECT status, COUNT(*) AS n FROM panels WHERE comic_id = ? GROUP BY status`),
      deleteComic: db.prepare(`DELETE FROM comics WHERE id = ?`),
      addVersion: db.prepare(`INSERT OR IGNORE INTO panel_versions (comic_id, panel_id, image, seed, created_at) VALUES (?, ?, ?, ?, ?)`),
      versions: db.prepare(`SELECT image, seed, created_at FROM panel_versions WHERE panel_id = ? ORDER BY created_at, rowid`),
      versionOwner: db.prepare(`SELECT comic_id FROM panel_versions WHERE panel_id = ? LIMIT 1`),
      copyVersions: db.prepare(`INSERT OR IGNORE INTO panel_versions (comic_id, panel_id, image, seed, created_at) SELECT ?, ?, image, seed, created_at FROM panel_versions WHERE panel_id = ?`),
    }
  }

  insert(comic: Comic): void {
    this.db.transaction(() => {
      this.stmts.insertComic.run(this.comicParams(comic))
      this.insertChildren(comic)
    })()
  }

  // Replaces a comic's whole content (after the script is written, or an edit that reshapes pages).
  replace(comic: Comic): void {
    this.db.transaction(() => {
      const info = this.stmts.updateComic.run(this.comicParams(comic))
      if (info.changes === 0) throw new Error(`no comic ${comic.id}`)
      for (const stmt of this.stmts.deleteChildren) stmt.run(comic.id)
      this.insertChildren(comic)
      this.stmts.refreshCover.run({ id: comic.id })
    })()
  }

  get(id: string): Comic | null {
    const row = this.stmts.comicRow.get(id) as Row | undefined
    if (!row) return null
    const characters: Character[] = (this.stmts.characters.all(id) as Row[]).map((r) => ({
      id: r.id as string,
      name: r.name as string,
      role: r.role as string,
      look: JSON.parse(r.look as string),
      seed: r.seed as number,
      referenceImage: (r.reference_image as string | null) ?? null,
    }))
    const bubblesByPanel = new Map<string, Bubble[]>()
    for (const r of this.stmts.bubbles.all(id) as Row[]) {
      const list = bubblesByPanel.get(r.panel_id as string) ?? []
      list.push({
        id: r.id as string,
        kind: r.kind as Bubble['kind'],
        text: r.text as string,
        speakerId: (r.speaker_id as string | null) ?? null,
        x: r.x as number, y: r.y as number, w: r.w as number, h: r.h as number,
        tailX: r.tail_x as number, tailY: r.tail_y as number,
      })
      bubblesByPanel.set(r.panel_id as string, list)
    }
    const panelsByPage = new Map<string, Panel[]>()
    for (const r of this.stmts.panels.all(id) as Row[]) {
      const list = panelsByPage.get(r.page_id as string) ?? []
      list.push(this.toPanel(r, bubblesByPanel.get(r.id as string) ?? []))
      panelsByPage.set(r.page_id as string, list)
    }
    const pages: Page[] = (this.stmts.pages.all(id) as Row[]).map((r) => ({
      id: r.id as string,
      layout: r.layout as string,
      panels: panelsByPage.get(r.id as string) ?? [],
    }))
    return { ...toSummary(row), summary: row.summary as string, seed: row.seed as number, characters, pages }
  }

  list(q: ListQuery): { items: ComicSummary[]; total: number } {
    const where = [q.trashed ? 'trashed_at IS NOT NULL' : 'trashed_at IS NULL']
    const params: unknown[] = []
    if (q.query.trim()) {
      where.push(`search_text LIKE ? ESCAPE '\\'`)
      params.push(likePattern(q.query.trim()))
    }
    const whereSql = where.join(' AND ')
    const items = (this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM comics WHERE ${whereSql} ORDER BY ${SORT_SQL[q.sort]} LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as Row[]).map(toSummary)
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM comics WHERE ${whereSql}`).get(...params) as { n: number }).n
    return { items, total }
  }

  exists(id: string): boolean {
    return this.stmts.comicRow.get(id) !== undefined
  }

  // The comic's status alone, without reading its pages and panels; null when it is gone.
  status(id: string): ComicStatus | null {
    const row = this.stmts.comicRow.get(id) as Row | undefined
    return row ? (row.status as ComicStatus) : null
  }

  setStatus(id: string, status: ComicStatus, now: number): void {
    this.stmts.setStatus.run(status, now, id)
  }

  setTrashed(id: string, trashedAt: number | null, now: number): boolean {
    return this.stmts.setTrashed.run(trashedAt, now, id).changes > 0
  }

  delete(id: string): void {
    this.stmts.deleteComic.run(id)
  }

  // Bubble ids come from the editor and are unique across the library.
  bubbleIdTaken(bubbleId: string, byOtherThan: string): boolean {
    return this.stmts.bubbleElsewhere.get(bubbleId, byOtherThan) !== undefined
  }

  panel(panelId: string): (Panel & { comicId: string }) | null {
    const r = this.stmts.panelRow.get(panelId) as Row | undefined
    if (!r) return null
    return { ...this.toPanel(r, []), comicId: r.comic_id as string }
  }

  setPanelImage(comicId: string, panelId: string, image: string, seed: number, now: number): void {
    this.db.transaction(() => {
      this.stmts.panelImage.run(image, 'done', null, panelId)
      this.stmts.refreshCover.run({ id: comicId })
      this.stmts.addVersion.run(comicId, panelId, image, seed, now)
    })()
  }

  versions(panelId: string): { image: string; seed: number; createdAt: number }[] {
    return (this.stmts.versions.all(panelId) as Row[]).map((r) => ({ image: r.image as string, seed: r.seed as number, createdAt: r.created_at as number }))
  }

  characterIdTaken(id: string): boolean {
    return this.stmts.characterRow.get(id) !== undefined
  }

  // The comic a panel id has pictures in, even after the panel left its page.
  versionOwner(panelId: string): string | null {
    return ((this.stmts.versionOwner.get(panelId) as Row | undefined)?.comic_id as string | undefined) ?? null
  }

  copyVersions(toComicId: string, toPanelId: string, fromPanelId: string): void {
    this.stmts.copyVersions.run(toComicId, toPanelId, fromPanelId)
  }

  setPanelStatus(panelId: string, status: PanelStatus, error: string | null): void {
    this.stmts.panelStatus.run(status, error, panelId)
  }

  panelCounts(comicId: string): Record<PanelStatus, number> {
    const counts: Record<PanelStatus, number> = { pending: 0, generating: 0, done: 0, failed: 0 }
    for (const r of this.stmts.panelCounts.all(comicId) as { status: PanelStatus; n: number }[]) counts[r.status] = r.n
    return counts
  }

  private toPanel(r: Row, bubbles: Bubble[]): Panel {
    return {
      id: r.id as string,
      shot: r.shot as Panel['shot'],
      scene: r.scene as string,
      characterIds: JSON.parse(r.character_ids as string),
      seed: r.seed as number,
      image: (r.image as string | null) ?? null,
      status: r.status as PanelStatus,
      error: (r.error as string | null) ?? null,
      bubbles,
    }
  }

  private comicParams(comic: Comic) {
    return {
      id: comic.id, title: comic.title, idea: comic.idea, summary: comic.summary, styleId: comic.styleId,
      language: comic.language, readingOrder: comic.readingOrder, status: comic.status, seed: comic.seed,
      cover: comic.cover, pageCount: comic.pages.length,
      panelCount: comic.pages.reduce((n, p) => n + p.panels.length, 0),
      searchText: searchText(comic), createdAt: comic.createdAt, updatedAt: comic.updatedAt, trashedAt: comic.trashedAt,
    }
  }

  private insertChildren(comic: Comic): void {
    comic.characters.forEach((c, i) => {
      this.stmts.insertCharacter.run(c.id, comic.id, i, c.name, c.role, JSON.stringify(c.look), c.seed, c.referenceImage)
    })
    let panelPos = 0
    let bubblePos = 0
    comic.pages.forEach((page, i) => {
      this.stmts.insertPage.run(page.id, comic.id, i, page.layout)
      for (const panel of page.panels) {
        this.stmts.insertPanel.run(panel.id, comic.id, page.id, panelPos++, panel.shot, panel.scene,
          JSON.stringify(panel.characterIds), panel.seed, panel.image, panel.status, panel.error)
        for (const b of panel.bubbles) {
          this.stmts.insertBubble.run(b.id, comic.id, panel.id, bubblePos++, b.kind, b.text, b.speakerId,
            b.x, b.y, b.w, b.h, b.tailX, b.tailY)
        }
      }
    })
  }
}
