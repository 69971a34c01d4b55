import { useState, type DragEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS, type Comic, type Page } from '../../../src/contract/index.ts'
import { select } from '../../state/editor.ts'
import { cellsFor, useLayouts } from '../../state/layouts.ts'
import { fileUrl } from '../../state/session.ts'
import { Icon } from '../Icon.tsx'
import { movePanel, reorderPages, reorderPanels, stepPanel } from './structureEdits.ts'

type Dragging = { kind: 'page'; id: string } | { kind: 'panel'; id: string; pageId: string }

// The comic's pages as small drawings of their layout; pages and panels reorder by drag,
// or by Alt+arrow keys on a focused thumbnail.
export function PageStrip({ comic, panelId }: { comic: Comic; panelId: string | null }) {
  const { t } = useTranslation()
  const layouts = useLayouts((s) => s.layouts)
  const [dragging, setDragging] = useState<Dragging | null>(null)
  const [over, setOver] = useState<string | null>(null)

  function start(e: DragEvent, what: Dragging) {
    e.stopPropagation()
    e.dataTransfer.effectAllowed = 'move'
    e.dataTransfer.setData('text/plain', what.id)
    setDragging(what)
  }

  function finish() {
    setDragging(null)
    setOver(null)
  }

  // A panel may land on any page with room for it: on a panel, it takes that panel's place; elsewhere on the
  // page, it goes last.
  const accepts = (page: Page) => dragging !== null && (dragging.kind === 'page' || dragging.pageId === page.id || page.panels.length < LIMITS.panelsPerPage)

  function dropOnPage(e: DragEvent, page: Page, target: number) {
    e.preventDefault()
    if (dragging?.kind === 'page') reorderPages(comic, comic.pages.findIndex((p) => p.id === dragging.id), target)
    else if (dragging?.kind === 'panel' && dragging.pageId !== page.id) movePanel(comic, dragging.id, page.id, page.panels.length)
    finish()
  }

  function dropOnPanel(e: DragEvent, page: Page, target: number) {
    e.preventDefault()
    e.stopPropagation()
    if (dragging?.kind === 'panel' && dragging.pageId === page.id) reorderPanels(page, page.panels.findIndex((p) => p.id === dragging.id), target)
    else if (dragging?.kind === 'panel') movePanel(comic, dragging.id, page.id, target)
    else if (dragging?.kind === 'page') reorderPages(comic, comic.pages.findIndex((p) => p.id === dragging.id), comic.pages.indexOf(page))
    finish()
  }

  function pageKeys(e: KeyboardEvent, index: number) {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return
    e.preventDefault()
    reorderPages(comic, index, index + (e.key === 'ArrowUp' ? -1 : 1))
  }

  function panelKeys(e: KeyboardEvent, panelId: string) {
    if (!e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return
    e.preventDefault()
    e.stopPropagation()
    stepPanel(comic, panelId, e.key === 'ArrowLeft' ? -1 : 1)
  }

  return (
    <nav className="page-strip" aria-label={t('editor.pages')}>
      <h2 className="card-heading">{t('editor.pages')}</h2>
      <ol className="page-list">
        {comic.pages.map((page, pageIndex) => {
          const cells = cellsFor(page.layout, page.panels.length, layouts, comic.readingOrder)
          return (
            <li
              key={page.id}
              className={`page-item${over === page.id ? ' is-drop-target' : ''}${dragging?.id === page.id ? ' is-dragging' : ''}`}
              draggable
              data-testid="page-thumb"
              data-page-id={page.id}
              onDragStart={(e) => start(e, { kind: 'page', id: page.id })}
              onDragEnd={finish}
              onDragOver={(e) => { if (accepts(page)) { e.preventDefault(); setOver(page.id) } }}
              onDrop={(e) => dropOnPage(e, page, pageIndex)}
            >
              <div className="page-item-head" tabIndex={0} onKeyDown={(e) => pageKeys(e, pageIndex)} aria-label={`${t('editor.page', { page: pageIndex + 1 })}. ${t('editor.dragPanel')}`}>
                <Icon name="grip" size={14} />
                <span>{t('editor.page', { page: pageIndex + 1 })}</span>
              </div>
              <div className="mini-page">
                {page.panels.map((panel, i) => {
                  const c = cells[i]
                  const selected = panel.id === panelId
                  return (
                    <button
                      key={panel.id}
                      type="button"
                      draggable
                      className={`mini-panel${selected ? ' is-selected' : ''}${over === panel.id && dragging?.kind === 'panel' ? ' is-drop-target' : ''} status-${panel.status}`}
                      style={{ left: `${c.x * 100}%`, top: `${c.y * 100}%`, width: `${c.w * 100}%`, height: `${c.h * 100}%` }}
                      aria-pressed={selected}
                      aria-label={t('editor.pagePanel', { page: pageIndex + 1, panel: i + 1 })}
                      data-testid="panel-thumb"
                      data-panel-id={panel.id}
                      onClick={() => select(panel.id)}
                      onKeyDown={(e) => panelKeys(e, panel.id)}
                      onDragStart={(e) => start(e, { kind: 'panel', id: panel.id, pageId: page.id })}
                      onDragEnd={finish}
                      onDragOver={(e) => { if (accepts(page)) { e.preventDefault(); e.stopPropagation(); setOver(panel.id) } }}
                      onDrop={(e) => dropOnPanel(e, page, i)}
                    >
                      {panel.image ? <img src={fileUrl(panel.image)} alt="" draggable={false} /> : null}
                      <span className="mini-panel-n">{i + 1}</span>
                    </button>
                  )
                })}
              </div>
            </li>
          )
        })}
      </ol>
    </nav>
  )
}
