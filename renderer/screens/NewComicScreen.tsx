import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS, type CommandOutput, type ReadingOrder, type StyleId } from '../../src/contract/index.ts'
import { isLang } from '../../src/i18n/index.ts'
import { Icon } from '../components/Icon.tsx'
import { RouteEstimate } from '../components/RouteEstimate.tsx'
import { StylePicker } from '../components/StylePicker.tsx'
import { useErrorToast } from '../hooks/useErrorToast.ts'
import { useRoute } from '../state/routes.ts'
import { call, useSession } from '../state/session.ts'

const MIN_PAGES = 1
const MAX_PAGES = LIMITS.pages
type Estimate = CommandOutput<'comics.estimate'>

function clampPages(n: number): number {
  return Math.min(MAX_PAGES, Math.max(MIN_PAGES, Math.round(Number.isFinite(n) ? n : MIN_PAGES)))
}

export function NewComicScreen() {
  const { t, i18n } = useTranslation()
  const go = useRoute((s) => s.go)
  const styles = useSession((s) => s.styles)
  const showError = useErrorToast()
  const [idea, setIdea] = useState('')
  const [styleId, setStyleId] = useState<StyleId>('modern-superhero')
  const [pages, setPages] = useState(4)
  const [pagesText, setPagesText] = useState('4')
  const [readingOrder, setReadingOrder] = useState<ReadingOrder>('ltr')
  const [urgent, setUrgent] = useState(false)
  const [busy, setBusy] = useState(false)
  const [estimate, setEstimate] = useState<Estimate | null>(null)
  const ideaOk = idea.trim().length >= 3

  useEffect(() => {
    let live = true
    const timer = setTimeout(() => {
      call('comics.estimate', { styleId, pages, urgent }).then((e) => { if (live) setEstimate(e) }, () => { if (live) setEstimate(null) })
    }, 250)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [styleId, pages, urgent])

  function choosePages(n: number) {
    const v = clampPages(n)
    setPages(v)
    setPagesText(String(v))
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!ideaOk || busy) return
    setBusy(true)
    try {
      const lang = isLang(i18n.language) ? i18n.language : undefined
      const { comicId } = await call('comics.create', { idea: idea.trim(), styleId, pages, readingOrder, urgent, language: lang })
      go({ name: 'progress', comicId })
    } catch (err) {
      showError(err)
      setBusy(false)
    }
  }

  const style = styles.find((s) => s.id === styleId)
  return (
    <section className="screen new-comic-screen" aria-labelledby="new-title">
      <header className="screen-header">
        <div className="screen-title-block">
          <h1 id="new-title">{t('newComic.title')}</h1>
          <p className="screen-subtitle">{t('newComic.subtitle')}</p>
        </div>
      </header>
      <form className="new-comic-form" onSubmit={submit}>
        <div className="form-main">
          <div className="field">
            <label htmlFor="idea" className="field-label">{t('newComic.idea')}</label>
            <textarea
              id="idea"
              className="idea-input"
              data-testid="idea-input"
              rows={5}
              maxLength={4000}
              value={idea}
              placeholder={t('newComic.ideaPlaceholder')}
              aria-describedby="idea-hint"
              onChange={(e) => setIdea(e.target.value)}
              autoFocus
            />
            <p id="idea-hint" className="field-hint">{t('newComic.ideaHint')}</p>
          </div>
          <div className="field">
            <span id="style-label" className="field-label">{t('newComic.style')}</span>
            <StylePicker styles={styles} value={styleId} onChange={setStyleId} />
          </div>
        </div>
        <aside className="form-side">
          <div className="panel-card">
            <div className="field">
              <label htmlFor="pages" className="field-label">{t('newComic.pages')}</label>
              <div className="stepper">
                <button type="button" className="icon-button" aria-label={t('newComic.fewerPages')} onClick={() => choosePages(pages - 1)} disabled={pages <= MIN_PAGES}>
                  <Icon name="minus" />
                </button>
                <input
                  id="pages"
                  data-testid="pages-input"
                  type="number"
                  inputMode="numeric"
                  min={MIN_PAGES}
                  max={MAX_PAGES}
                  value={pagesText}
                  onChange={(e) => {
                    setPagesText(e.target.value)
                    const n = Number(e.target.value)
                    if (e.target.value !== '' && Number.isInteger(n) && n >= MIN_PAGES && n <= MAX_PAGES) setPages(n)
                  }}
                  onBlur={() => choosePages(Number(pagesText))}
                />
                <button type="button" className="icon-button" aria-label={t('newComic.morePages')} onClick={() => choosePages(pages + 1)} disabled={pages >= MAX_PAGES}>
                  <Icon name="plus" />
                </button>
              </div>
            </div>
            <fieldset className="field">
              <legend className="field-label">{t('newComic.readingOrder')}</legend>
              <div className="choice-list">
                {(['ltr', 'rtl'] as const).map((order) => (
                  <label key={order} className={`choice${readingOrder === order ? ' is-selected' : ''}`}>
                    <input type="radio" name="reading" value={order} checked={readingOrder === order} onChange={() => setReadingOrder(order)} data-testid={`reading-${order}`} />
                    <span>{t(`newComic.${order}`)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <fieldset className="field">
              <legend className="field-label">{t('newComic.urgency')}</legend>
              <div className="choice-list">
                {([false, true] as const).map((u) => (
                  <label key={String(u)} className={`choice${urgent === u ? ' is-selected' : ''}`}>
                    <input type="radio" name="urgency" checked={urgent === u} onChange={() => setUrgent(u)} data-testid={u ? 'urgency-urgent' : 'urgency-relaxed'} />
                    <span className="choice-text">
                      <span>{t(u ? 'newComic.urgent' : 'newComic.relaxed')}</span>
                      <small>{t(u ? 'newComic.urgentHint' : 'newComic.relaxedHint')}</small>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            {estimate && <RouteEstimate estimate={estimate} />}
            <p className="form-summary">{style ? t('newComic.summary', { count: pages, style: t(`styleNames.${style.id}`) }) : ''}</p>
            <button type="submit" className="button primary large" data-testid="create-button" disabled={!ideaOk || busy} aria-describedby={ideaOk ? undefined : 'idea-hint'}>
              <Icon name="sparkle" />
              <span>{busy ? t('newComic.creating') : t('newComic.go')}</span>
            </button>
          </div>
        </aside>
      </form>
    </section>
  )
}
