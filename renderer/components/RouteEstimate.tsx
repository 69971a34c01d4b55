import { useTranslation } from 'react-i18next'
import type { CommandOutput } from '../../src/contract/index.ts'
import { Icon } from './Icon.tsx'

type Estimate = CommandOutput<'comics.estimate'>

// What the comic would cost and take on each route, before anything is spent: the route the studio would pick
// is ticked, a route slower than the chosen urgency says so, and every figure names the prices it rests on.
export function RouteEstimate({ estimate }: { estimate: Estimate }) {
  const { t } = useTranslation()
  const duration = (seconds: number) => (seconds < 90
    ? t('newComic.durationSeconds', { count: Math.max(1, Math.round(seconds)) })
    : t('newComic.durationMinutes', { count: Math.round(seconds / 60) }))
  const pick = estimate.routes.find((r) => r.recommended)
  const left = estimate.budgetLeftUsd
  return (
    <div className="estimate" data-testid="estimate">
      <h3 className="field-label">{t('newComic.estimate', { count: estimate.images })}</h3>
      {pick && left !== null && pick.usd > left && (
        <p className="estimate-note is-slow" data-testid="estimate-over-budget">{t('newComic.estimateOverBudget', { left: t('common.usd', { value: left }) })}</p>
      )}
      <ul>
        {estimate.routes.map((r) => (
          <li key={r.engine} className={r.recommended ? 'is-recommended' : ''} data-testid={`estimate-${r.engine}`} data-recommended={r.recommended}>
            <span className="estimate-route">
              <span className="estimate-mark">{r.recommended && <Icon name="check" size={14} />}</span>
              <span className="estimate-engine">{t(`engines.${r.engine}`)}</span>
              <span className="estimate-figure">
                {t('newComic.estimateFigure', { cost: r.usd === 0 ? t('newComic.free') : t('common.usd', { value: r.usd }), time: duration(r.seconds) })}
              </span>
            </span>
            {!r.meetsDeadline && <span className="estimate-note is-slow">{t('newComic.estimateSlow', { time: duration(estimate.deadlineSeconds) })}</span>}
            {r.prices.map((p) => (
              <span key={p.label} className="estimate-note" data-testid="estimate-price">
                {t('newComic.estimatePrice', {
                  label: p.label,
                  price: t('common.usd', { value: p.usd }),
                  unit: t(`newComic.priceUnit.${p.per}`),
                  source: t(`newComic.priceSource.${p.source}`),
                  date: p.asOf,
                })}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </div>
  )
}
