import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Comic, ComicStatus, PanelStatus, StoryStep } from '../../src/contract/index.ts'
import { parseStoredError } from '../../src/contract/stored-error.ts'
import { Icon } from '../components/Icon.tsx'
import { ProgressBar } from '../components/ProgressBar.tsx'
import { useComic } from '../hooks/useComic.ts'
import { useComicCost } from '../hooks/useComicCost.ts'
import { useErrorToast } from '../hooks/useErrorToast.ts'
import { emptyComic, TERMINAL } from '../state/live.ts'
import { useRoute } from '../state/routes.ts'
import { call, fileUrl, useSession } from '../state/session.ts'
import { describeError, describeStoredError } from '../../src/i18n/index.ts'

const STEPS: StoryStep[] = ['plot', 'characters', 'pages', 'dialogue']
const FALLBACK_LIVE = emptyComic()

// Why panels could not be drawn: the reason most of them share (a budget, a refused key, a provider down).
function failureReason(comic: Comic | null): string | null {
  const counts = new Map<string, number>()
  for (const panel of comic?.pages.flatMap((p) => p.panels) ?? []) {
    if (panel.status === 'failed' && panel.error) counts.set(panel.error, (counts.get(panel.error) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
}

export function ProgressScreen({ comicId }: { comicId: string }) {
  const { t } = useTranslation()
  const go = useRoute((s) => s.go)
  const showError = useErrorToast()
  const live = useSession((s) => s.live.comics[comicId]) ?? FALLBACK_LIVE
  const { comic, error } = useComic(comicId)
  // Live while drawing; from the ledger when the screen opens on a comic made earlier.
  const ledgerCost = useComicCost(comicId)
  const costUsd = live.costUsd ?? (ledgerCost && ledgerCost.usd > 0 ? ledgerCost.usd : null)
  const [cancelling, setCancelling] = useState(false)
  const [retrying, setRetrying] = useState(false)

  const status: ComicStatus | null = live.status ?? comic?.status ?? null
  const complete = live.complete || (status !== null && TERMINAL.has(status))
  const written = (comic?.pages.length ?? 0) > 0
  const panels = comic?.pages.flatMap((page, p) => page.panels.map((panel, i) => {
    const seen = live.panels[panel.id]
    return { id: panel.id, page: p + 1, index: i + 1, status: (seen?.status ?? panel.status) as PanelStatus, image: seen?.image ?? panel.image, waiting: seen?.waiting ?? null }
  })) ?? []
  const drawn = panels.filter((p) => p.status === 'done').length
  const total = live.total || panels.length
  const current = Math.max(live.current, drawn)
  const failed = live.complete ? live.failed : panels.filter((p) => p.status === 'failed').length
  // Undrawn: failed, or never started because the comic was cancelled (elsewhere a waiting panel is being redrawn).
  const missing = complete && written ? panels.filter((p) => p.status === 'failed' || (status === 'cancelled' && p.status === 'pending')).length : 0
  const reason = missing > 0 ? failureReason(comic) : null

  async function cancel() {
    setCancelling(true)
    try {
      await call('comics.cancel', { comicId })
    } catch (err) {
      showError(err)
      setCancelling(false)
    }
  }

  async function retry(offline: boolean) {
    setRetrying(true)
    try {
      await call('comics.retryFailed', { comicId, offline })
    } catch (err) {
      showError(err)
    } finally {
      setRetrying(false)
    }
  }

  if (error?.code === 'not_found') {
    return <section className="screen"><div className="empty-state"><p>{t('errors.not_found')}</p></div></section>
  }

  const stepState = (step: StoryStep): 'done' | 'started' | 'idle' => live.steps[step] ?? (written ? 'done' : 'idle')
  const activeStep = STEPS.find((s) => stepState(s) === 'started')

  return (
    <section className="screen progress-screen" data-testid="progress-view" aria-labelledby="progress-title" data-status={status ?? 'unknown'}>
      <header className="screen-header">
        <div className="screen-title-block">
          <p className="eyebrow">{t('progress.title')}</p>
          <h1 id="progress-title">{comic?.title || t('library.untitled')}</h1>
          {comic?.idea && <p className="screen-subtitle clamp-2">{comic.idea}</p>}
        </div>
        <div className="header-actions">
          {!complete && (
            <>
              <button type="button" className="button" onClick={() => go({ name: 'editor', comicId })} disabled={!written} data-testid="edit-while-drawing">
                <Icon name="pencil" />
                <span>{t('progress.editNow')}</span>
              </button>
              <button type="button" className="button danger" onClick={cancel} disabled={cancelling} data-testid="cancel-button">
                <Icon name="close" />
                <span>{cancelling ? t('progress.cancelling') : t('progress.cancel')}</span>
              </button>
            </>
          )}
        </div>
      </header>

      {complete && (
        <div className={`done-card done-${status}`} data-testid="progress-done" role="status">
          <div className="done-icon" aria-hidden="true"><Icon name={status === 'failed' ? 'alert' : status === 'cancelled' ? 'close' : 'check'} size={28} /></div>
          <div className="done-text">
            <h2>
              {status === 'done' && t('progress.done')}
              {status === 'partial' && t('progress.partial', { count: failed })}
              {status === 'failed' && t('progress.failed')}
              {status === 'cancelled' && t('progress.cancelled')}
            </h2>
            {costUsd !== null && <p>{t('progress.cost', { cost: t('common.usd', { value: costUsd }) })}</p>}
            {reason && <p className="done-reason" data-testid="failure-reason">{describeStoredError(t, reason)}</p>}
          </div>
          <div className="done-actions">
            {missing > 0 && (
              <>
                {reason !== null && parseStoredError(reason).code === 'budget' && (
                  <button type="button" className="button" onClick={() => go({ name: 'settings' })} data-testid="open-budgets">
                    <Icon name="coins" />
                    <span>{t('progress.raiseBudget')}</span>
                  </button>
                )}
                <button type="button" className="button" onClick={() => void retry(false)} disabled={retrying} data-testid="retry-failed">
                  <Icon name="refresh" />
                  <span>{t('progress.retryFailed', { count: missing })}</span>
                </button>
                <button type="button" className="button" onClick={() => void retry(true)} disabled={retrying} data-testid="retry-offline">
                  <Icon name="image" />
                  <span>{t('progress.retryOffline')}</span>
                </button>
              </>
            )}
            {written && (
              <>
                <button type="button" className="button" onClick={() => go({ name: 'editor', comicId })}>
                  <Icon name="pencil" />
                  <span>{t('common.edit')}</span>
                </button>
                <button type="button" className="button primary large" data-testid="open-comic" onClick={() => go({ name: 'reader', comicId, page: 0 })} autoFocus>
                  <Icon name="book" />
                  <span>{t('progress.open')}</span>
                </button>
              </>
            )}
          </div>
        </div>
      )}

      <div className="progress-layout">
        <div className="panel-card story-steps">
          <h2 className="card-heading">{t('progress.steps')}</h2>
          <ol className="steps" aria-live="polite">
            {STEPS.map((step) => {
              const state = stepState(step)
              return (
                <li key={step} className={`step step-${state}`} data-testid={`step-${step}`} data-state={state}>
                  <span className="step-dot" aria-hidden="true">{state === 'done' ? <Icon name="check" size={14} /> : null}</span>
                  <span className="step-text">
                    <span className="step-name">{t(`progress.step.${step}`)}</span>
                    <span className="step-detail">
                      {state === 'started' ? t(`progress.stepStarted.${step}`) : state === 'done' ? t(`progress.stepDone.${step}`) : ''}
                    </span>
                  </span>
                </li>
              )
            })}
          </ol>
          <dl className="live-facts">
            {live.queuePosition !== null && !complete && (
              <div><dt><Icon name="clock" size={14} /></dt><dd data-testid="queue-position">{t('progress.queuePosition', { position: live.queuePosition })}</dd></div>
            )}
            {live.engine && (
              <div><dt><Icon name="server" size={14} /></dt><dd>{t('progress.routed', { engine: t(`engines.${live.engine}`) })}</dd></div>
            )}
            {costUsd !== null && (
              <div><dt><Icon name="coins" size={14} /></dt><dd data-testid="running-cost">{t('progress.cost', { cost: t('common.usd', { value: costUsd }) })}</dd></div>
            )}
          </dl>
          {live.errors.map((e, i) => (
            <p key={i} className="inline-error" role="alert"><Icon name="alert" size={14} /><span>{describeError(t, e.code, e.message)}</span></p>
          ))}
        </div>

        <div className="panel-card progress-panels">
          <div className="progress-head">
            <p className="progress-label" data-testid="progress-label" aria-live="polite">
              {total === 0
                ? (activeStep ? t(`progress.stepStarted.${activeStep}`) : t('progress.waiting'))
                : complete ? t('progress.imagesDone', { count: drawn }) : t('progress.imageOf', { current, total })}
            </p>
            <ProgressBar value={total === 0 ? 0 : current / total} label={t('progress.imageOf', { current, total })} indeterminate={total === 0 && !complete} />
          </div>
          <h2 className="sr-only">{t('progress.panelsLabel')}</h2>
          {comic?.pages.map((page, p) => (
            <div key={page.id} className="progress-page">
              <h3 className="progress-page-title">{t('editor.page', { page: p + 1 })}</h3>
              <ul className="panel-tiles">
                {page.panels.map((panel) => {
                  const tile = panels.find((x) => x.id === panel.id)
                  if (!tile) return null
                  // A panel in a pod's line says so: the server it waits for is booting or busy.
                  const waiting = tile.status === 'pending' && tile.waiting === 'pod'
                  const state = waiting ? t('progress.panelState.waitingPod') : t(`progress.panelState.${tile.status}`)
                  return (
                    <li key={panel.id} className={`panel-tile tile-${tile.status}${waiting ? ' tile-waiting' : ''}`} data-testid="panel-tile" data-state={tile.status}
                      data-waiting={waiting ? 'pod' : undefined}
                      title={tile.status === 'failed' && panel.error ? describeStoredError(t, panel.error) : waiting ? state : undefined}
                      aria-label={t('progress.panelAlt', { page: tile.page, panel: tile.index, state })}>
                      {tile.image ? <img src={fileUrl(tile.image)} alt="" /> : <span className="tile-icon" aria-hidden="true"><Icon name={tile.status === 'failed' ? 'alert' : waiting ? 'server' : 'image'} /></span>}
                      <span className="tile-badge">{tile.index}</span>
                    </li>
                  )
                })}
              </ul>
            </div>
          ))}
        </div>
      </div>
    </section>
  )
}
