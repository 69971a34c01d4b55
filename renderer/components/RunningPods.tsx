import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CommandOutput, PodInfo } from '../../src/contract/index.ts'
import { describeError } from '../../src/i18n/index.ts'
import { isClientError, type ClientError } from '../client/index.ts'
import { useNow } from '../hooks/useNow.ts'
import { call, onStudioEvent } from '../state/session.ts'

type Stopped = CommandOutput<'pods.stop'>

const clockText = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

// The servers billing on the user's account right now, ticking, with a way to stop paying for them at once.
export function RunningPods() {
  const { t } = useTranslation()
  const [pods, setPods] = useState<PodInfo[]>([])
  const [loadedAt, setLoadedAt] = useState(() => Date.now())
  const [stopping, setStopping] = useState(false)
  const [stopped, setStopped] = useState<Stopped | null>(null)
  const [failed, setFailed] = useState<ClientError | null>(null)
  const now = useNow(pods.length > 0 ? 1000 : null)
  const usd = (value: number) => t('common.usd', { value })

  const load = useCallback(() => {
    call('pods.list', {}).then((list) => { setPods(list); setLoadedAt(Date.now()) }, () => undefined)
  }, [])

  useEffect(() => {
    load()
    const off = onStudioEvent((e) => { if (e.type.startsWith('pod_')) load() })
    return off
  }, [load])

  const stop = () => {
    setStopping(true)
    setFailed(null)
    call('pods.stop', {}).then(
      (result) => { setStopped(result); load() },
      (err: unknown) => setFailed(isClientError(err) ? err : null),
    ).finally(() => setStopping(false))
  }

  if (pods.length === 0 && !stopped && !failed) return null
  // The bills are as of loadedAt and keep running until the list says otherwise; the studio shares this clock.
  const elapsed = Math.max(0, now - loadedAt)
  const stateText = (p: PodInfo) => {
    if (p.state === 'idle' && p.idleEndsAt !== null && p.idleEndsAt > now) return t('costs.podIdle', { time: clockText(p.idleEndsAt - now) })
    return t(p.state === 'booting' ? 'costs.podBooting' : p.state === 'busy' ? 'costs.podBusy' : p.state === 'idle' ? 'costs.podIdleSoon' : 'costs.podEnding')
  }

  return (
    <div className="panel-card running-pods" data-testid="running-pods">
      <div className="running-pods-head">
        <h2 className="card-heading">{t('costs.podsRunning')}</h2>
        {pods.some((p) => p.state !== 'ending') && (
          <button type="button" className="button small danger" data-testid="stop-pods" disabled={stopping} onClick={stop}>
            {stopping ? t('costs.stoppingPods') : t('costs.stopPods')}
          </button>
        )}
      </div>
      {pods.length > 0 && <p className="field-hint">{t('costs.podsHint')}</p>}
      <ul className="pod-list">
        {pods.map((p) => (
          <li key={p.podId} data-testid="running-pod" data-state={p.state}>
            <span className="pod-gpu">{p.gpu}</span>
            <span className="pod-state">{stateText(p)}</span>
            <span className="pod-billed">{t('costs.podBilled', { usd: usd(p.billedUsd + (p.usdPerHour * elapsed) / 3_600_000), rate: usd(p.usdPerHour) })}</span>
          </li>
        ))}
      </ul>
      {stopped && pods.length === 0 && <p className="field-hint" role="status" data-testid="pods-stopped">{t('costs.podsStopped', { count: stopped.stopped, minutes: Math.round(stopped.pausedMinutes) })}</p>}
      {failed && <p className="inline-error" role="alert">{describeError(t, failed.code, failed.message)}</p>}
    </div>
  )
}
