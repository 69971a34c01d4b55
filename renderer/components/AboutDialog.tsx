import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useAbout } from '../hooks/useMenuEvents.ts'
import { useSession } from '../state/session.ts'
import { BrandMark } from './BrandMark.tsx'

export function AboutDialog() {
  const { t } = useTranslation()
  const visible = useAbout((s) => s.visible)
  const close = useAbout((s) => s.close)
  const info = useSession((s) => s.info)
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (visible && dialog && !dialog.open) dialog.showModal()
    if (!visible && dialog?.open) dialog.close()
  }, [visible])
  return (
    // Its content exists only while it is open: the first screen need not build it.
    <dialog ref={ref} className="dialog about" aria-labelledby="about-title" onClose={close}>
      {visible && (
        <>
          <BrandMark large />
          <h2 id="about-title">{t('app.name')}</h2>
          <p className="dialog-text">{t('app.tagline')}</p>
          {info && <p className="field-hint">{t('settings.version', { version: info.version })}</p>}
          {info && <p className="data-dir"><code>{info.dataDir}</code></p>}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={close} autoFocus>{t('common.close')}</button>
          </div>
        </>
      )}
    </dialog>
  )
}
