import { useTranslation } from 'react-i18next'
import { describeEvent } from '../../src/i18n/index.ts'
import { useNow } from '../hooks/useNow.ts'
import { secondsLeft } from '../state/live.ts'
import { dismissLiveNotice, useSession } from '../state/session.ts'
import { Icon } from './Icon.tsx'

const READY_VISIBLE_MS = 8000

// Pod lifecycle and engine switches concern every screen, so they sit above whichever is open.
export function Banners() {
  const { t } = useTranslation()
  const connected = useSession((s) => s.connected)
  const pods = useSession((s) => s.live.pods)
  const notices = useSession((s) => s.live.notices)
  const now = useNow(Object.values(pods).some((p) => p.state !== 'preemption_warning') ? 1000 : null)
  // "Ready" is news for a moment; booting and preemption stay until they change.
  const podList = Object.values(pods).filter((p) => p.state !== 'ready' || now - p.since < READY_VISIBLE_MS)
  if (connected && podList.length === 0 && notices.length === 0) return null
  return (
    <div className="banners" role="status" aria-live="polite">
      {!connected && (
        <div className="banner banner-warn">
          <Icon name="alert" />
          <span>{t('app.connectionLost')}</span>
        </div>
      )}
      {podList.map((pod) => (
        <div key={pod.podId} className={`banner banner-pod banner-${pod.state}`} data-testid={`pod-banner-${pod.state}`}>
          <Icon name="server" />
          <span>
            {pod.state === 'booting' && t('progress.podBooting', { count: Math.max(1, Math.ceil(secondsLeft(pod, now) / 60)) })}
            {pod.state === 'ready' && t('progress.podReady')}
            {pod.state === 'preemption_warning' && t('progress.podPreemption')}
          </span>
          {pod.state === 'booting' && (
            <span className="banner-meter" aria-hidden="true">
              <span style={{ width: `${pod.etaSeconds > 0 ? 100 - (100 * secondsLeft(pod, now)) / pod.etaSeconds : 100}%` }} />
            </span>
          )}
        </div>
      ))}
      {notices.map((notice) => (
        <div key={notice.id} className={`banner ${notice.event.type === 'error' ? 'banner-error' : 'banner-info'}`} data-testid={`notice-${notice.event.type}`}>
          <Icon name={notice.event.type === 'error' ? 'alert' : 'refresh'} />
          <span>{describeEvent(t, notice.event)}</span>
          <button type="button" className="icon-button small" aria-label={t('common.dismiss')} onClick={() => dismissLiveNotice(notice.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  )
}
