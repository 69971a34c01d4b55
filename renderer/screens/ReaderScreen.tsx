import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useExportDialog } from '../state/exportDialog.ts'
import { Icon } from '../components/Icon.tsx'
import { PageView } from '../components/PageView.tsx'
import { isTyping } from '../hooks/useGlobalShortcuts.ts'
import { useComic } from '../hooks/useComic.ts'
import { useComicCost } from '../hooks/useComicCost.ts'
import { loadLayouts } from '../state/layouts.ts'
import { useRoute } from '../state/routes.ts'

export function ReaderScreen({ comicId, page }: { comicId: string; page: number }) {
  const { t } = useTranslation()
  const go = useRoute((s) => s.go)
  const { comic, error } = useComic(comicId)
  const cost = useComicCost(comicId)
  const [visible, setVisible] = useState(page)
  const pageRefs = useRef<(HTMLElement | null)[]>([])
  const pageCount = comic?.pages.length ?? 0

  useEffect(loadLayouts, [])

  // Land on the page named in the address once the pages exist.
  const landed = useRef(false)
  useEffect(() => {
    if (landed.current || pageCount === 0) return
    landed.current = true
    if (page > 0) pageRefs.current[Math.min(page, pageCount - 1)]?.scrollIntoView({ block: 'start' })
  }, [page, pageCount])

  useEffect(() => {
    if (pageCount === 0) return
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) setVisible(Number((entry.target as HTMLElement).dataset.index))
      }
    }, { threshold: 0.55 })
    pageRefs.current.forEach((el) => el && observer.observe(el))
    return () => observer.disconnect()
  }, [pageCount])

  function turn(delta: number) {
    const next = Math.min(pageCount - 1, Math.max(0, visible + delta))
    pageRefs.current[next]?.scrollIntoView({ block: 'start', behavior: 'smooth' })
    setVisible(next)
    go({ name: 'reader', comicId, page: next }, { replace: true })
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
      const forward = comic?.readingOrder === 'rtl' ? 'ArrowLeft' : 'ArrowRight'
      const back = comic?.readingOrder === 'rtl' ? 'ArrowRight' : 'ArrowLeft'
      if (e.key === forward || e.key === 'PageDown') { e.preventDefault(); turn(1) }
      if (e.key === back || e.key === 'PageUp') { e.preventDefault(); turn(-1) }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  if (error?.code === 'not_found') return <section className="screen"><div className="empty-state"><p>{t('errors.not_found')}</p></div></section>
  const busy = comic?.status === 'writing' || comic?.status === 'generating'

  return (
    <section className="screen reader-screen" data-testid="reader" aria-labelledby="reader-title">
      <header className="reader-bar">
        <button type="button" className="icon-button" aria-label={t('common.back')} title={t('common.back')} onClick={() => go({ name: 'library', trash: false })}>
          <Icon name="chevronLeft" />
        </button>
        <div className="reader-title">
          <h1 id="reader-title">{comic?.title || t('library.untitled')}</h1>
          <p>
            {pageCount > 0 && <span aria-live="polite" data-testid="reader-page-indicator">{t('reader.pageOf', { page: visible + 1, total: pageCount })}</span>}
            {cost && <span className="reader-cost" data-testid="reader-cost">{cost.usd > 0 ? t('reader.cost', { cost: t('common.usd', { value: cost.usd }) }) : t('reader.free')}</span>}
          </p>
        </div>
        <div className="header-actions">
          {busy && (
            <button type="button" className="button" onClick={() => go({ name: 'progress', comicId })}>
              <Icon name="sparkle" />
              <span>{t('reader.stillDrawing')}</span>
            </button>
          )}
          <button type="button" className="icon-button" aria-label={t('reader.previous')} title={t('reader.previous')} onClick={() => turn(-1)} disabled={visible <= 0}>
            <Icon name="chevronUp" />
          </button>
          <button type="button" className="icon-button" aria-label={t('reader.next')} title={t('reader.next')} onClick={() => turn(1)} disabled={visible >= pageCount - 1}>
            <Icon name="chevronDown" />
          </button>
          <button type="button" className="button" onClick={() => useExportDialog.getState().open(comicId)} data-testid="open-export" disabled={pageCount === 0}>
            <Icon name="folder" />
            <span>{t('export.button')}</span>
          </button>
          <button type="button" className="button" onClick={() => go({ name: 'characters', comicId })} data-testid="open-characters">
            <Icon name="users" />
            <span>{t('reader.characters')}</span>
          </button>
          <button type="button" className="button primary" onClick={() => go({ name: 'editor', comicId })} data-testid="open-editor">
            <Icon name="pencil" />
            <span>{t('reader.edit')}</span>
          </button>
        </div>
      </header>
      <div className="reader-pages">
        {comic && pageCount === 0 && <div className="empty-state"><p>{t('reader.noPages')}</p></div>}
        {comic?.pages.map((p, i) => (
          <article
            key={p.id}
            ref={(el) => { pageRefs.current[i] = el }}
            data-index={i}
            className="reader-page"
            data-testid="reader-page"
            aria-label={t('reader.pageOf', { page: i + 1, total: pageCount })}
          >
            <PageView comicId={comic.id} page={p} pageIndex={i} readingOrder={comic.readingOrder} language={comic.language} title={t('reader.pageOf', { page: i + 1, total: pageCount })} />
          </article>
        ))}
      </div>
    </section>
  )
}
