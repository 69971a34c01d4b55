import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CommandOutput } from '../../src/contract/index.ts'
import { describeError } from '../../src/i18n/index.ts'
import { isClientError, type ClientError } from '../client/index.ts'
import { Icon } from '../components/Icon.tsx'
import { RunningPods } from '../components/RunningPods.tsx'
import { useRoute } from '../state/routes.ts'
import { call, onStudioEvent } from '../state/session.ts'

type Summary = CommandOutput<'costs.summary'>

function BudgetBar({ label, spent, limit, testId }: { label: string; spent: number; limit: number | null; testId: string }) {
  const { t } = useTranslation()
  const usd = (value: number) => t('common.usd', { value })
  const ratio = limit ? spent / limit : 0
  const tone = ratio >= 1 ? 'over' : ratio >= 0.8 ? 'near' : 'ok'
  return (
    <div className="budget" data-testid={testId}>
      <div className="budget-head">
        <span>{label}</span>
        <span>{limit ? t('costs.budgetOf', { spent: usd(spent), limit: usd(limit) }) : t('costs.noBudget')}</span>
      </div>
      <div className={`meter meter-${tone}`} role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={limit ?? 0} aria-valuenow={spent}>
        <span style={{ width: `${Math.min(100, ratio * 100)}%` }} />
      </div>
    </div>
  )
}

export function CostsScreen() {
  const { t } = useTranslation()
  const go = useRoute((s) => s.go)
  const [data, setData] = useState<Summary | null>(null)
  const [failed, setFailed] = useState<ClientError | null>(null)
  const usd = (value: number) => t('common.usd', { value })

  const load = useCallback(() => {
    call('costs.summary', {}).then((d) => { setData(d); setFailed(null) }, (err: unknown) => setFailed(isClientError(err) ? err : null))
  }, [])

  useEffect(() => {
    load()
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = onStudioEvent((e) => {
      // A pod's whole time is billed as it ends: show it at once.
      if (e.type === 'pod_terminated') return load()
      if (e.type !== 'cost_update' || timer) return
      timer = setTimeout(() => { timer = null; load() }, 1000)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [load])

  const maxDay = Math.max(0.0001, ...(data?.byDay.map((d) => d.usd) ?? [0]))
  const maxProvider = Math.max(0.0001, ...(data?.byProvider.map((p) => p.usd) ?? [0]))
  const comics = [...(data?.byComic ?? [])].sort((a, b) => b.usd - a.usd)
  const comicCap = data?.budgets.comicUsd ?? null
  // The ledger's float sums may land a hair under the cap a comic was stopped at.
  const atCap = (usdSpent: number) => comicCap !== null && usdSpent >= comicCap - 1e-9

  return (
    <section className="screen costs-screen" data-testid="costs" aria-labelledby="costs-title">
      <header className="screen-header">
        <div className="screen-title-block">
          <h1 id="costs-title">{t('costs.title')}</h1>
        </div>
      </header>
      {failed && <div className="empty-state" role="alert"><p>{describeError(t, failed.code, failed.message)}</p><button type="button" className="button" onClick={load}>{t('common.retry')}</button></div>}
      {data && (
        <div className="costs-layout">
          <div className="stat-row">
            <div className="stat"><span className="stat-label">{t('costs.total')}</span><span className="stat-value" data-testid="cost-total">{usd(data.totalUsd)}</span></div>
            <div className="stat"><span className="stat-label">{t('costs.today')}</span><span className="stat-value">{usd(data.todayUsd)}</span></div>
            <div className="stat"><span className="stat-label">{t('costs.thisMonth')}</span><span className="stat-value">{usd(data.monthUsd)}</span></div>
          </div>
          <RunningPods />
          <div className="panel-card">
            <h2 className="card-heading">{t('costs.budget')}</h2>
            <BudgetBar label={t('costs.budgetDay')} spent={data.todayUsd} limit={data.budgets.dayUsd} testId="budget-day" />
            <BudgetBar label={t('costs.budgetMonth')} spent={data.monthUsd} limit={data.budgets.monthUsd} testId="budget-month" />
            <BudgetBar label={t('costs.budgetComic')} spent={comics[0]?.usd ?? 0} limit={comicCap} testId="budget-comic" />
          </div>
          <div className="panel-card">
            <h2 className="card-heading">{t('costs.perProvider')}</h2>
            {data.byProvider.length === 0 && <p className="field-hint">{t('costs.empty')}</p>}
            <ul className="bar-list">
              {data.byProvider.map((p) => (
                <li key={p.engine}>
                  <span className="bar-name">{t(`engines.${p.engine}`)}</span>
                  <span className="bar-track"><span style={{ width: `${(p.usd / maxProvider) * 100}%` }} /></span>
                  <span className="bar-value">{usd(p.usd)}<small>{t('costs.images', { count: p.images })}</small></span>
                </li>
              ))}
            </ul>
          </div>
          <div className="panel-card">
            <h2 className="card-heading">{t('costs.perDay')}</h2>
            {data.byDay.length === 0 ? <p className="field-hint">{t('costs.empty')}</p> : (
              <ol className="day-chart">
                {data.byDay.slice(-30).map((d) => (
                  <li key={d.day} title={`${d.day}: ${usd(d.usd)}`}>
                    <span className="day-bar" style={{ height: `${Math.max(2, (d.usd / maxDay) * 100)}%` }} />
                    <span className="day-label">{d.day.slice(8)}</span>
                  </li>
                ))}
              </ol>
            )}
            {data.byMonth.length > 0 && <h3 className="card-heading month-heading">{t('costs.perMonth')}</h3>}
            <ul className="month-list">
              {data.byMonth.map((m) => <li key={m.month}><span>{m.month}</span><span>{usd(m.usd)}</span></li>)}
            </ul>
          </div>
          <div className="panel-card costs-comics">
            <h2 className="card-heading">{t('costs.perComic')}</h2>
            {comics.length === 0 ? <p className="field-hint">{t('costs.empty')}</p> : (
              <table className="cost-table">
                <tbody>
                  {comics.map((c) => (
                    <tr key={c.comicId}>
                      <td>
                        <button type="button" className="link-button" onClick={() => go({ name: 'reader', comicId: c.comicId, page: 0 })}>
                          <Icon name="book" size={14} />
                          <span>{c.title || t('library.untitled')}</span>
                        </button>
                      </td>
                      <td className="num">{t('costs.images', { count: c.images })}</td>
                      <td className="num">
                        {atCap(c.usd) && <span className="at-budget" data-testid="comic-at-budget">{t('costs.atBudget')}</span>}
                        {usd(c.usd)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      )}
    </section>
  )
}
