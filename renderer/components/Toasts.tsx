import { useTranslation } from 'react-i18next'
import { dismissToast, useSession } from '../state/session.ts'
import { Icon } from './Icon.tsx'

export function Toasts() {
  const { t } = useTranslation()
  const toasts = useSession((s) => s.toasts)
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`}>
          <span>{toast.text}</span>
          <button type="button" className="icon-button small" aria-label={t('common.dismiss')} onClick={() => dismissToast(toast.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  )
}
