import { useDeferredValue, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { BubbleKind, LIMITS, SHOTS, STYLE_FAMILIES, type Bubble, type Comic, type CommandOutput, type Page, type Panel, type Shot, type StyleId } from '../../../src/contract/index.ts'
import { useErrorToast } from '../../hooks/useErrorToast.ts'
import { useRedrawEstimate } from '../../hooks/useRedrawEstimate.ts'
import { perform, regenerate, select, useEditor } from '../../state/editor.ts'
import { useLayouts } from '../../state/layouts.ts'
import { call, fileUrl, useSession } from '../../state/session.ts'
import { Icon } from '../Icon.tsx'
import { changeBubble, deleteBubble, textFit, type PanelSetting } from './bubbleEdits.ts'
import { addPageAfter, addPanelAfter, canStep, deletePage, deletePanel, randomSeed, reorderPages, stepPanel } from './structureEdits.ts'

type Versions = CommandOutput<'panels.versions'>
const KINDS = BubbleKind.options

function panelEdit(panel: Panel, action: 'scene' | 'shot' | 'characters', patch: Partial<Pick<Panel, 'scene' | 'shot' | 'characterIds'>>, mergeKey?: string) {
  const before = { scene: panel.scene, shot: panel.shot, characterIds: panel.characterIds }
  const revert = Object.fromEntries(Object.keys(patch).map((k) => [k, before[k as keyof typeof before]]))
  perform(action, { kind: 'panel', panelId: panel.id, patch }, { kind: 'panel', panelId: panel.id, patch: revert }, mergeKey)
}

export function BubbleInspector({ comic, panel, bubble, setting }: { comic: Comic; panel: Panel; bubble: Bubble; setting: PanelSetting }) {
  const { t } = useTranslation()
  // Sizing a balloon to a long text takes tens of milliseconds: keystrokes go first, the advice follows.
  const later = useDeferredValue(bubble)
  const fit = useMemo(() => textFit(later, setting), [later, setting])
  return (
    <section className="inspector-section" aria-labelledby="bubble-heading" data-testid="bubble-inspector">
      <h2 id="bubble-heading" className="card-heading">{t('editor.bubbleHeading')}</h2>
      <label className="field">
        <span className="field-label">{t('editor.bubbleText')}</span>
        <textarea
          id="bubble-text"
          data-testid="bubble-text"
          rows={3}
          maxLength={2000}
          value={bubble.text}
          onChange={(e) => changeBubble(panel, bubble.id, { text: e.target.value }, 'text', `text:${bubble.id}`)}
        />
      </label>
      {!fit.fits && (
        <div className="inline-warning text-fit" role="status" data-testid="bubble-overflow">
          <Icon name="alert" size={14} />
          <span>{t(fit.fitted ? 'editor.textOverflows' : 'editor.textTooLong')}</span>
          {fit.fitted && (
            <button type="button" className="button small" data-testid="bubble-fit" onClick={() => changeBubble(panel, bubble.id, fit.fitted!, 'resize')}>
              {t('editor.fitBalloon')}
            </button>
          )}
        </div>
      )}
      <div className="field-row">
        <label className="field">
          <span className="field-label">{t('editor.bubbleKind')}</span>
          <select data-testid="bubble-kind" value={bubble.kind} onChange={(e) => changeBubble(panel, bubble.id, { kind: e.target.value as Bubble['kind'] }, 'kind')}>
            {KINDS.map((k) => <option key={k} value={k}>{t(`bubbleKinds.${k}`)}</option>)}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('editor.speaker')}</span>
          <select data-testid="bubble-speaker" value={bubble.speakerId ?? ''} onChange={(e) => changeBubble(panel, bubble.id, { speakerId: e.target.value || null }, 'speaker')}>
            <option value="">{t('editor.narrator')}</option>
            {comic.characters.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
      </div>
      <p className="field-hint">{t('editor.moveHint')}</p>
      <button type="button" className="button danger small" data-testid="bubble-delete" onClick={() => { deleteBubble(panel, bubble.id); select(panel.id, null) }}>
        <Icon name="trash" />
        <span>{t('editor.deleteBubble')}</span>
      </button>
    </section>
  )
}

interface RowAction { label: string; blockedBy: string | null; run: () => void }

// Adding after, and deleting, the selected panel or its page: a button that cannot act says why.
function AddDeleteRow({ of, add, remove }: { of: 'panel' | 'page'; add: RowAction; remove: RowAction }) {
  return (
    <div className="button-row">
      <button type="button" className="button small" data-testid={`${of}-add`} disabled={add.blockedBy !== null} title={add.blockedBy ?? undefined} onClick={add.run}>
        <Icon name="plus" />
        <span>{add.label}</span>
      </button>
      <button type="button" className="button small danger" data-testid={`${of}-delete`} disabled={remove.blockedBy !== null} title={remove.blockedBy ?? undefined} onClick={remove.run}>
        <Icon name="trash" />
        <span>{remove.label}</span>
      </button>
    </div>
  )
}

export function PanelInspector({ comic, page, pageIndex, panel, panelIndex }: { comic: Comic; page: Page; pageIndex: number; panel: Panel; panelIndex: number }) {
  const { t } = useTranslation()
  const showError = useErrorToast()
  const layouts = useLayouts((s) => s.layouts)
  const redrawing = useEditor((s) => panel.id in s.redrawing)
  const [loaded, setLoaded] = useState<{ panelId: string; list: Versions }>({ panelId: '', list: [] })
  const versions = loaded.panelId === panel.id ? loaded.list : []
  const busy = redrawing || panel.status === 'generating'

  // A panel just added has no pictures yet, and the engine may not have it yet either.
  useEffect(() => {
    if (panel.image === null) return
    let live = true
    const show = (list: Versions) => { if (live) setLoaded({ panelId: panel.id, list }) }
    call('panels.versions', { comicId: comic.id, panelId: panel.id }).then(show, () => show([]))
    return () => { live = false }
  }, [comic.id, panel.id, panel.image])

  function redraw(seed: number) {
    regenerate(panel.id, seed).catch(showError)
  }

  function pick(image: string, seed: number) {
    if (image === panel.image) return
    perform('pickVersion', { kind: 'version', panelId: panel.id, image, seed }, { kind: 'version', panelId: panel.id, image: panel.image ?? image, seed: panel.seed })
  }

  const fitting = layouts.filter((l) => l.panelCount === page.panels.length)

  return (
    <>
      <section className="inspector-section" aria-labelledby="panel-heading" data-testid="panel-inspector">
        <h2 id="panel-heading" className="card-heading">{t('editor.pagePanel', { page: pageIndex + 1, panel: panelIndex + 1 })}</h2>
        <label className="field">
          <span className="field-label">{t('editor.prompt')}</span>
          <textarea id="panel-scene" data-testid="panel-scene" rows={4} maxLength={2000} value={panel.scene}
            onChange={(e) => panelEdit(panel, 'scene', { scene: e.target.value }, `scene:${panel.id}`)} />
        </label>
        <label className="field">
          <span className="field-label">{t('editor.shot')}</span>
          <select data-testid="panel-shot" value={panel.shot} onChange={(e) => panelEdit(panel, 'shot', { shot: e.target.value as Shot })}>
            {SHOTS.map((s) => <option key={s} value={s}>{t(`shots.${s}`)}</option>)}
          </select>
        </label>
        {comic.characters.length > 0 && (
          <fieldset className="field">
            <legend className="field-label">{t('editor.characters')}</legend>
            <div className="chip-list">
              {comic.characters.map((c) => {
                const on = panel.characterIds.includes(c.id)
                return (
                  <label key={c.id} className={`chip${on ? ' is-on' : ''}`}>
                    <input type="checkbox" checked={on} data-testid={`panel-character-${c.id}`}
                      onChange={() => panelEdit(panel, 'characters', { characterIds: on ? panel.characterIds.filter((x) => x !== c.id) : [...panel.characterIds, c.id] })} />
                    <span>{c.name}</span>
                  </label>
                )
              })}
            </div>
          </fieldset>
        )}
        <div className="button-row">
          <button type="button" className="button" data-testid="regenerate-same" disabled={busy} onClick={() => redraw(panel.seed)}>
            <Icon name="refresh" />
            <span>{busy ? t('editor.regenerating') : t('editor.regenerateSame')}</span>
          </button>
          <button type="button" className="button" data-testid="regenerate-new" disabled={busy} onClick={() => redraw(randomSeed())}>
            <Icon name="sparkle" />
            <span>{t('editor.regenerateNew')}</span>
          </button>
        </div>
        {versions.length > 0 && (
          <div className="field">
            <span className="field-label">{t('editor.versions')}</span>
            <ul className="versions" data-testid="versions">
              {versions.map((v, i) => {
                const current = v.image === panel.image
                return (
                  <li key={v.image}>
                    <button type="button" className={`version${current ? ' is-current' : ''}`} aria-pressed={current} data-testid="version"
                      aria-label={t('editor.versionLabel', { n: i + 1, seed: v.seed })} title={t('editor.versionLabel', { n: i + 1, seed: v.seed })}
                      onClick={() => pick(v.image, v.seed)}>
                      <img src={fileUrl(v.image)} alt="" />
                    </button>
                  </li>
                )
              })}
            </ul>
          </div>
        )}
        <div className="button-row">
          <button type="button" className="button small" data-testid="panel-earlier" disabled={!canStep(comic, panel.id, -1)} onClick={() => stepPanel(comic, panel.id, -1)}>
            <Icon name="chevronLeft" />
            <span>{t('editor.movePanelEarlier')}</span>
          </button>
          <button type="button" className="button small" data-testid="panel-later" disabled={!canStep(comic, panel.id, 1)} onClick={() => stepPanel(comic, panel.id, 1)}>
            <span>{t('editor.movePanelLater')}</span>
            <Icon name="chevronRight" />
          </button>
        </div>
        <AddDeleteRow of="panel"
          add={{ label: t('editor.addPanel'), blockedBy: page.panels.length >= LIMITS.panelsPerPage ? t('editor.pageFull') : null, run: () => addPanelAfter(comic, page, panelIndex) }}
          remove={{ label: t('editor.deletePanel'), blockedBy: page.panels.length === 1 ? t('editor.onlyPanel') : null, run: () => deletePanel(comic, page, panelIndex) }} />
      </section>
      <section className="inspector-section" aria-labelledby="page-heading">
        <h2 id="page-heading" className="card-heading">{t('editor.page', { page: pageIndex + 1 })}</h2>
        {fitting.length > 0 && (
          <label className="field">
            <span className="field-label">{t('editor.layout')}</span>
            <select data-testid="page-layout" value={page.layout} onChange={(e) => perform('layout', { kind: 'page', pageId: page.id, patch: { layout: e.target.value } }, { kind: 'page', pageId: page.id, patch: { layout: page.layout } })}>
              {!fitting.some((l) => l.id === page.layout) && <option value={page.layout}>{page.layout}</option>}
              {fitting.map((l) => <option key={l.id} value={l.id}>{t('editor.layoutOption', { name: t(`layouts.${l.id}`, { defaultValue: l.name }), count: l.panelCount })}</option>)}
            </select>
          </label>
        )}
        <div className="button-row">
          <button type="button" className="button small" data-testid="page-earlier" disabled={pageIndex === 0} onClick={() => reorderPages(comic, pageIndex, pageIndex - 1)}>
            <Icon name="chevronUp" />
            <span>{t('editor.movePageEarlier')}</span>
          </button>
          <button type="button" className="button small" data-testid="page-later" disabled={pageIndex === comic.pages.length - 1} onClick={() => reorderPages(comic, pageIndex, pageIndex + 1)}>
            <Icon name="chevronDown" />
            <span>{t('editor.movePageLater')}</span>
          </button>
        </div>
        <AddDeleteRow of="page"
          add={{ label: t('editor.addPage'), blockedBy: comic.pages.length >= LIMITS.pages ? t('editor.comicFull') : null, run: () => addPageAfter(comic, pageIndex, panel) }}
          remove={{ label: t('editor.deletePage'), blockedBy: comic.pages.length === 1 ? t('editor.onlyPage') : null, run: () => deletePage(comic, pageIndex) }} />
      </section>
    </>
  )
}

// The whole comic: its style, and redrawing every panel in it (each with its own seed, so the picture keeps its
// composition). A style change is one undo step, and so are all the pictures of one redraw.
export function ComicInspector({ comic }: { comic: Comic }) {
  const { t } = useTranslation()
  const showError = useErrorToast()
  const styles = useSession((s) => s.styles)
  const panels = comic.pages.flatMap((p) => p.panels)
  const drawing = panels.some((p) => p.status === 'pending' || p.status === 'generating')
  const estimate = useRedrawEstimate(comic.styleId, comic.pages.length, panels.length)
  return (
    <section className="inspector-section" aria-labelledby="comic-heading" data-testid="comic-inspector">
      <h2 id="comic-heading" className="card-heading">{t('editor.comicHeading')}</h2>
      <label className="field">
        <span className="field-label">{t('editor.style')}</span>
        <select data-testid="comic-style" value={comic.styleId}
          onChange={(e) => perform('style', { kind: 'comic', patch: { styleId: e.target.value as StyleId } }, { kind: 'comic', patch: { styleId: comic.styleId } })}>
          {STYLE_FAMILIES.map((family) => (
            <optgroup key={family} label={t(`newComic.families.${family}`)}>
              {styles.filter((st) => st.family === family).map((st) => <option key={st.id} value={st.id}>{t(`styleNames.${st.id}`)}</option>)}
            </optgroup>
          ))}
        </select>
      </label>
      <p className="field-hint">{t('editor.styleHint')}</p>
      <button type="button" className="button small" data-testid="redraw-all" disabled={drawing}
        onClick={() => { const group = crypto.randomUUID(); for (const p of panels) regenerate(p.id, p.seed, group).catch(showError) }}>
        <Icon name="refresh" />
        <span>{t('editor.redrawAll', { count: panels.length })}</span>
      </button>
      {estimate && <p className="field-hint" data-testid="redraw-all-estimate">{estimate}</p>}
    </section>
  )
}
