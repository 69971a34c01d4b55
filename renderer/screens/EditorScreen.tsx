import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { BubbleKind } from '../../src/contract/index.ts'
import { addBubble, deleteBubble } from '../components/editor/bubbleEdits.ts'
import { HistoryButtons, useHistoryKeys } from '../components/editor/History.tsx'
import { BubbleInspector, ComicInspector, PanelInspector } from '../components/editor/Inspector.tsx'
import { PageStrip } from '../components/editor/PageStrip.tsx'
import { PanelCanvas } from '../components/editor/PanelCanvas.tsx'
import { Icon } from '../components/Icon.tsx'
import { isTyping } from '../hooks/useGlobalShortcuts.ts'
import { closeEditor, editorEvent, openEditor, perform, select, useEditor } from '../state/editor.ts'
import { headScaleOf } from '../../src/pages/framing.ts'
import { findPanel } from '../state/edits.ts'
import { loadLayouts, panelFrames, useLayouts } from '../state/layouts.ts'
import { useRoute } from '../state/routes.ts'
import { onStudioEvent } from '../state/session.ts'

const KINDS = BubbleKind.options

// The comic's title, renamed in place: saved (one undo step) when the field is left or Enter is pressed; Escape
// puts the saved title back. Keyed by the title, so an undo shows in the field.
function TitleField({ title }: { title: string }) {
  const { t } = useTranslation()
  const [draft, setDraft] = useState(title)
  function commit() {
    const next = draft.trim()
    if (next && next !== title) perform('title', { kind: 'comic', patch: { title: next } }, { kind: 'comic', patch: { title } })
    else setDraft(title)
  }
  return (
    <input className="title-input" data-testid="comic-title" aria-label={t('editor.titleLabel')} value={draft} maxLength={120} spellCheck
      onChange={(e) => setDraft(e.target.value)} onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur()
        else if (e.key === 'Escape') setDraft(title)
      }} />
  )
}

export function EditorScreen({ comicId, panelId: initialPanel }: { comicId: string; panelId?: string }) {
  const { t } = useTranslation()
  const go = useRoute((s) => s.go)
  const { comic, panelId, bubbleId, saving, saveError } = useEditor()
  useHistoryKeys()
  const layouts = useLayouts((s) => s.layouts)

  useEffect(() => {
    loadLayouts()
    void openEditor(comicId, initialPanel).catch(() => {})
    const off = onStudioEvent(editorEvent)
    return () => {
      off()
      closeEditor()
    }
  }, [comicId, initialPanel])

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key === 'Escape' && !isTyping(e.target)) {
        select(useEditor.getState().panelId, null)
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && !isTyping(e.target) && !(e.target instanceof SVGElement)) {
        const s = useEditor.getState()
        const found = s.comic && s.panelId ? findPanel(s.comic, s.panelId) : null
        if (found && s.bubbleId) {
          e.preventDefault()
          deleteBubble(found.panel, s.bubbleId)
          select(found.panel.id, null)
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const found = comic && panelId ? findPanel(comic, panelId) : null
  const bubble = found?.panel.bubbles.find((b) => b.id === bubbleId) ?? null
  const frame = found && comic ? panelFrames(found.page, comic.readingOrder, layouts)[found.panelIndex] : null
  const [width, height] = frame ? [frame.points.width, frame.points.height] : [0, 0]
  const language = comic?.language
  const readingOrder = comic?.readingOrder
  const headScale = comic ? headScaleOf(comic.styleId) : 1
  const setting = useMemo(() => (width > 0 && language && readingOrder ? { size: { width, height }, language, readingOrder, headScale } : null), [width, height, language, readingOrder, headScale])

  return (
    <section className="screen editor-screen" data-testid="editor" aria-labelledby="editor-title">
      <header className="reader-bar">
        <button type="button" className="icon-button" aria-label={t('common.back')} title={t('common.back')} onClick={() => go({ name: 'reader', comicId, page: found?.pageIndex ?? 0 })}>
          <Icon name="chevronLeft" />
        </button>
        <div className="reader-title">
          <h1 id="editor-title">{comic ? <TitleField key={comic.title} title={comic.title} /> : t('library.untitled')}</h1>
          <p className={`save-state${saveError ? ' is-error' : ''}`} data-testid="save-state" data-state={saving > 0 ? 'saving' : saveError ? 'error' : 'saved'} aria-live="polite">
            {saving > 0 ? t('common.saving') : saveError ? t('editor.saveFailed', { message: saveError }) : t('common.saved')}
          </p>
        </div>
        <div className="header-actions">
          <HistoryButtons />
          <button type="button" className="button" onClick={() => go({ name: 'characters', comicId })}>
            <Icon name="users" />
            <span>{t('reader.characters')}</span>
          </button>
          <button type="button" className="button primary" onClick={() => go({ name: 'reader', comicId, page: found?.pageIndex ?? 0 })}>
            <Icon name="book" />
            <span>{t('common.read')}</span>
          </button>
        </div>
      </header>
      {comic && (
        <div className="editor-body">
          <PageStrip comic={comic} panelId={panelId} />
          <div className="editor-stage">
            {found && frame && setting ? (
              <>
                <div className="stage-toolbar" role="toolbar" aria-label={t('editor.bubbles')}>
                  <span className="toolbar-label">{t('editor.addLabel')}</span>
                  {KINDS.map((kind) => (
                    <button key={kind} type="button" className="button small" data-testid={`add-bubble-${kind}`}
                      aria-label={t('editor.addBubble', { kind: t(`bubbleKinds.${kind}`) })}
                      onClick={() => {
                        // Spoken by someone in the panel when there is anyone, else by the comic's lead (off-panel).
                        const speaker = found.panel.characterIds[0] ?? comic.characters[0]?.id ?? null
                        const made = addBubble(found.panel, kind, t('editor.newBubbleText'), speaker, setting)
                        select(found.panel.id, made.id)
                      }}>
                      <Icon name={kind === 'caption' ? 'image' : 'bubble'} size={14} />
                      <span>{t(`bubbleKinds.${kind}`)}</span>
                    </button>
                  ))}
                </div>
                <div className="stage-canvas" style={{ aspectRatio: `${frame.w} / ${frame.h}`, width: `min(100%, 860px, calc((100vh - 200px) * ${(frame.w / frame.h).toFixed(4)}))` }}>
                  <PanelCanvas
                    panel={found.panel}
                    W={frame.w}
                    H={frame.h}
                    size={frame.points}
                    language={comic.language}
                    selectedBubbleId={bubbleId}
                    label={t('editor.pagePanel', { page: found.pageIndex + 1, panel: found.panelIndex + 1 })}
                  />
                  {found.panel.status === 'generating' && <div className="stage-busy"><Icon name="sparkle" size={28} /><span>{t('editor.regenerating')}</span></div>}
                </div>
              </>
            ) : (
              <div className="empty-state"><p>{t('editor.selectPanel')}</p></div>
            )}
          </div>
          <aside className="inspector" aria-label={t('editor.title')}>
            {found && setting && bubble && <BubbleInspector comic={comic} panel={found.panel} bubble={bubble} setting={setting} />}
            {found && <PanelInspector comic={comic} page={found.page} pageIndex={found.pageIndex} panel={found.panel} panelIndex={found.panelIndex} />}
            {found && !bubble && <p className="field-hint inspector-tip">{t('editor.noBubble')}</p>}
            <ComicInspector comic={comic} />
          </aside>
        </div>
      )}
    </section>
  )
}
