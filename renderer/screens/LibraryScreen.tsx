import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ComicCard, ComicCardSkeleton, type CardActions } from '../components/ComicCard.tsx'
import { Icon } from '../components/Icon.tsx'
import { SEARCH_INPUT_ID } from '../hooks/useGlobalShortcuts.ts'
import { estimateLibraryGrid } from '../hooks/gridEstimate.ts'
import { useElementSize, type ElementSize } from '../hooks/useElementSize.ts'
import { useErrorToast } from '../hooks/useErrorToast.ts'
import { useRowWindow } from '../hooks/useRowWindow.ts'
import { ensureRange, openLibrary, openOfflineHint, reloadLibrary, setQuery, setSort, useLibrary, type LibrarySort } from '../state/library.ts'
import { useRoute } from '../state/routes.ts'
import { call, onStudioEvent, toast, useSession } from '../state/session.ts'

const MIN_CARD = 200
const GAP = 20
const CARD_TEXT = 96
const COVER_RATIO = 1.45

// The grid's size when the screen last showed, for its next opening; at the first, an estimate.
const lastGrid: { size: ElementSize | null } = { size: null }
const gridEstimate = (): ElementSize | null => lastGrid.size ?? estimateLibraryGrid(document)

function markFirstView(): void {
  if (performance.getEntriesByName('library-first-view').length === 0) performance.mark('library-first-view')
}

export function LibraryScreen({ trash }: { trash: boolean }) {
  const { t } = useTranslation()
  const go = useRoute((s) => s.go)
  const styles = useSession((s) => s.styles)
  const { items, total, query, sort, failed, offlineOnly } = useLibrary()
  const [draft, setDraft] = useState(query)
  const scrollRef = useRef<HTMLDivElement>(null)
  const { width, height } = useElementSize(scrollRef, gridEstimate)
  const showError = useErrorToast()
  // The row beyond the screen's edge is drawn once what is on screen has been shown.
  const [settled, setSettled] = useState(false)

  useEffect(() => {
    if (width > 0) lastGrid.size = { width, height }
  }, [width, height])
  useEffect(openOfflineHint, [])
  useEffect(() => openLibrary(trash), [trash])

  useEffect(() => {
    const timer = setTimeout(() => setQuery(draft.trim()), 180)
    return () => clearTimeout(timer)
  }, [draft])

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = onStudioEvent((event) => {
      if (event.type !== 'comic_updated' && event.type !== 'generation_complete') return
      if (timer) clearTimeout(timer)
      timer = setTimeout(reloadLibrary, 400)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [])

  const columns = Math.max(1, Math.floor((width + GAP) / (MIN_CARD + GAP)))
  const cardWidth = width > 0 ? (width - GAP * (columns - 1)) / columns : MIN_CARD
  const rowHeight = Math.round(cardWidth * COVER_RATIO + CARD_TEXT + GAP)
  // No rows until the grid's size is known (estimated from its empty shell, confirmed before the first paint),
  // so cards are never painted in a wrong column count.
  const rowCount = total === null || width === 0 ? 0 : Math.ceil(total / columns)

  // Every row has the same height, so the rows on screen follow from the scroll position alone.
  const { first: firstRow, last: lastRow } = useRowWindow(scrollRef, rowCount, rowHeight, height, settled ? 1 : 0)
  const rows = Array.from({ length: Math.max(0, lastRow - firstRow + 1) }, (_, i) => firstRow + i)
  useEffect(() => {
    if (total !== null && rowCount > 0) ensureRange(firstRow * columns, (lastRow + 1) * columns)
  }, [firstRow, lastRow, columns, total, rowCount])

  const anyShown = rows.length > 0 && items[firstRow * columns] !== undefined
  useEffect(() => {
    if (!anyShown && total !== 0) return
    const frame = requestAnimationFrame(() => {
      markFirstView()
      setSettled(true)
    })
    return () => cancelAnimationFrame(frame)
  }, [anyShown, total])

  const styleById = useMemo(() => new Map(styles.map((s) => [s.id, s])), [styles])

  const actions: CardActions = {
    // A comic still being made, or one with panels missing, opens where it shows how far it got and how to finish it.
    open: (c) => go(c.status === 'done' ? { name: 'reader', comicId: c.id, page: 0 } : { name: 'progress', comicId: c.id }),
    edit: (c) => go({ name: 'editor', comicId: c.id }),
    duplicate: (c) => run(async () => {
      await call('comics.duplicate', { comicId: c.id })
      toast(t('library.duplicated', { title: c.title }))
    }),
    trash: (c) => run(async () => {
      await call('comics.trash', { comicId: c.id })
      toast(t('library.trashed', { title: c.title }))
    }),
    restore: (c) => run(async () => {
      await call('comics.restore', { comicId: c.id })
      toast(t('library.restored', { title: c.title }))
    }),
  }

  function run(action: () => Promise<void>): void {
    action().then(reloadLibrary, showError)
  }

  return (
    <section className="screen library-screen" aria-labelledby="library-title">
      <header className="screen-header">
        <div className="screen-title-block">
          <h1 id="library-title">{t('library.title')}</h1>
          <p className="screen-subtitle" data-testid="library-count">
            {total === null ? t('common.loading') : trash ? t('library.trashCount', { count: total }) : t('library.count', { count: total })}
          </p>
        </div>
        <button type="button" className="button primary" data-testid="new-comic" onClick={() => go({ name: 'new' })}>
          <Icon name="plus" />
          <span>{t('nav.newComic')}</span>
        </button>
      </header>
      {offlineOnly && !trash && (
        <div className="banner banner-offline" role="note" data-testid="offline-hint">
          <Icon name="key" />
          <span>{t('library.offlineHint')}</span>
          <button type="button" className="button" data-testid="add-keys" onClick={() => go({ name: 'settings' })}>{t('library.addKeys')}</button>
        </div>
      )}
      <div className="toolbar">
        <label className="search-field">
          <Icon name="search" />
          <span className="sr-only">{t('library.searchLabel')}</span>
          <input
            id={SEARCH_INPUT_ID}
            type="search"
            value={draft}
            placeholder={t('library.search')}
            onChange={(e) => setDraft(e.target.value)}
            data-testid="library-search"
          />
        </label>
        <label className="select-field">
          <span>{t('library.sort')}</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as LibrarySort)} data-testid="library-sort">
            <option value="updated">{t('library.sortUpdated')}</option>
            <option value="created">{t('library.sortCreated')}</option>
            <option value="title">{t('library.sortTitle')}</option>
          </select>
        </label>
        <div className="segmented" role="group">
          <button type="button" aria-pressed={!trash} className={!trash ? 'is-active' : ''} onClick={() => go({ name: 'library', trash: false })} data-testid="library-tab">
            <Icon name="library" />
            <span>{t('library.showLibrary')}</span>
          </button>
          <button type="button" aria-pressed={trash} className={trash ? 'is-active' : ''} onClick={() => go({ name: 'library', trash: true })} data-testid="trash-tab">
            <Icon name="trash" />
            <span>{t('library.showTrash')}</span>
          </button>
        </div>
      </div>
      <div className="library-scroll" ref={scrollRef} data-testid="library-grid" role="list" aria-labelledby="library-title" aria-busy={total === null}>
        {total === 0 && (
          <div className="empty-state">
            <div className="empty-art" aria-hidden="true"><Icon name={trash ? 'trash' : 'book'} size={40} /></div>
            {trash ? <p>{t('library.emptyTrash')}</p> : query ? <p>{t('library.noMatches', { query })}</p> : (
              <>
                <h2>{t('library.emptyTitle')}</h2>
                <p>{t('library.emptyBody')}</p>
                <button type="button" className="button primary" onClick={() => go({ name: 'new' })}>
                  <Icon name="sparkle" />
                  <span>{t('nav.newComic')}</span>
                </button>
              </>
            )}
          </div>
        )}
        {failed && (
          <div className="empty-state">
            <p>{t('errors.network')}</p>
            <button type="button" className="button" onClick={reloadLibrary}>{t('common.retry')}</button>
          </div>
        )}
        <div className="virtual-space" style={{ height: rowCount * rowHeight }}>
          {rows.map((row) => (
            <div
              key={row}
              className="library-row"
              style={{ transform: `translateY(${row * rowHeight}px)`, height: rowHeight - GAP, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap: GAP }}
            >
              {Array.from({ length: columns }, (_, col) => {
                const index = row * columns + col
                if (total !== null && index >= total) return null
                const comic = items[index]
                return (
                  <div role="listitem" key={comic?.id ?? `slot-${index}`} className="library-cell">
                    {comic ? <ComicCard comic={comic} style={styleById.get(comic.styleId)} actions={actions} t={t} /> : <ComicCardSkeleton />}
                  </div>
                )
              })}
            </div>
          ))}
        </div>
      </div>
    </section>
  )
}
