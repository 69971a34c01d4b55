import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { Comic } from '../../src/contract/index.ts'
import { Library } from '../../src/library/library.ts'
import { MIGRATIONS } from '../../src/library/migrations.ts'
import { migrate, openDatabase } from '../../src/library/database.ts'
import { ManualClock } from '../../src/platform/clock.ts'
import { pathsFor } from '../../src/platform/paths.ts'
import { fillLibrary, syntheticComic } from '../support/fixtures.ts'
import { tempDir } from '../support/temp.ts'

function open(dir: string) {
  return new Library(pathsFor(dir), new ManualClock())
}

describe('library', () => {
  it('runs migrations once, in WAL mode, and refuses a newer schema', async () => {
    const dir = tempDir()
    const lib = open(dir)
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(lib.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    migrate(lib.db)
    lib.db.pragma(`user_version = ${MIGRATIONS.length + 1}`)
    await lib.close()
    expect(() => openDatabase(pathsFor(dir).dbFile)).toThrow(/newer Kitsumy Studio/)
  })

  it('stores and reads back a whole comic exactly', async () => {
    const lib = open(tempDir())
    const comic = syntheticComic(3, 10)
    lib.comics.insert(comic)
    const back = lib.comics.get(comic.id)
    expect(Comic.parse(back)).toEqual(comic)
    await lib.close()
  })

  it('replaces content atomically and keeps other comics', async () => {
    const lib = open(tempDir())
    const a = syntheticComic(1, 8)
    const b = syntheticComic(2, 8)
    lib.comics.insert(a)
    lib.comics.insert(b)
    const edited = { ...a, title: 'Edited', pages: a.pages.slice(0, 1) }
    lib.comics.replace(edited)
    expect(lib.comics.get(a.id)?.pages).toHaveLength(1)
    expect(lib.comics.get(a.id)?.title).toBe('Edited')
    expect(lib.comics.get(b.id)).toEqual(b)
    expect(() => lib.comics.replace({ ...syntheticComic(9, 4) })).toThrow(/no comic/)
    await lib.close()
  })

  it('lists, sorts, searches and trashes', async () => {
    const lib = open(tempDir())
    fillLibrary(lib, 30, 4)
    const all = lib.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 10 })
    expect(all.total).toBe(30)
    expect(all.items).toHaveLength(10)
    expect(all.items[0].updatedAt).toBeGreaterThanOrEqual(all.items[1].updatedAt)
    const byTitle = lib.comics.list({ query: '', sort: 'title', trashed: false, offset: 0, limit: 100 }).items.map((c) => c.title.toLowerCase())
    expect(byTitle).toEqual([...byTitle].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' }) || 0))
    const found = lib.comics.list({ query: '#7', sort: 'updated', trashed: false, offset: 0, limit: 100 })
    expect(found.items.map((c) => c.title).every((t) => t.includes('#7'))).toBe(true)
    expect(lib.comics.list({ query: "%' OR 1=1 --", sort: 'updated', trashed: false, offset: 0, limit: 100 }).total).toBe(0)
    const victim = all.items[0].id
    lib.comics.setTrashed(victim, 5, 5)
    expect(lib.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 100 }).total).toBe(29)
    expect(lib.comics.list({ query: '', sort: 'updated', trashed: true, offset: 0, limit: 100 }).items[0].id).toBe(victim)
    await lib.close()
  })

  it('searches by character name', async () => {
    const lib = open(tempDir())
    const comic = syntheticComic(4, 4)
    comic.characters[1].name = 'Olesia Moroz'
    lib.comics.insert(comic)
    expect(lib.comics.list({ query: 'olesia', sort: 'updated', trashed: false, offset: 0, limit: 5 }).items[0].id).toBe(comic.id)
    await lib.close()
  })

  it('stores images by content hash, once, and never outside its folder', async () => {
    const lib = open(tempDir())
    const bytes = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')
    const id = lib.images.put(bytes, 'image/svg+xml')
    expect(id).toMatch(/^[a-f0-9]{64}\.svg$/)
    expect(lib.images.put(bytes, 'image/svg+xml')).toBe(id)
    expect(Buffer.from(lib.images.read(id)).toString()).toContain('<svg')
    expect(lib.images.has('../../etc/passwd')).toBe(false)
    expect(() => lib.images.path('../x.svg')).toThrow(/image id/)
    await lib.close()
  })

  it('sets panel images, the cover, and counts panel states', async () => {
    const lib = open(tempDir())
    const comic = syntheticComic(5, 4)
    comic.pages[0].panels.forEach((p) => { p.status = 'pending' })
    lib.comics.insert(comic)
    const [p1, p2] = comic.pages[0].panels
    lib.comics.setPanelImage(comic.id, p1.id, 'a'.repeat(64) + '.svg', 1, 10)
    lib.comics.setPanelImage(comic.id, p2.id, 'b'.repeat(64) + '.svg', 2, 11)
    lib.comics.setPanelStatus(comic.pages[0].panels[2].id, 'failed', 'capacity')
    expect(lib.comics.get(comic.id)?.cover).toBe('a'.repeat(64) + '.svg')
    expect(lib.comics.panelCounts(comic.id)).toEqual({ pending: 1, generating: 0, done: 2, failed: 1 })
    await lib.close()
  })

  it('caches AI results by kind and key', async () => {
    const lib = open(tempDir())
    const images = lib.cache.forKind('image')
    expect(images.get('k')).toBeNull()
    images.put('k', 'v1')
    images.put('k', 'v2')
    expect(images.get('k')).toBe('v1')
    expect(lib.cache.forKind('story').get('k')).toBeNull()
    await lib.close()
  })

  it('is readable by a second connection while the first writes (WAL)', async () => {
    const dir = tempDir()
    const lib = open(dir)
    lib.comics.insert(syntheticComic(6, 4))
    const reader = new Database(pathsFor(dir).dbFile, { readonly: true })
    expect((reader.prepare('SELECT COUNT(*) n FROM comics').get() as { n: number }).n).toBe(1)
    reader.close()
    await lib.close()
  })
})
