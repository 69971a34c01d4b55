import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useShortcutsHelp } from '../hooks/useGlobalShortcuts.ts'

const SHORTCUTS = [
  { keys: ['N'], action: 'newComic' },
  { keys: ['L'], action: 'library' },
  { keys: ['/'], action: 'search' },
  { keys: ['Ctrl', 'Z'], action: 'undo' },
  { keys: ['Ctrl', 'Shift', 'Z'], action: 'redo' },
  { keys: ['→'], action: 'nextPage' },
  { keys: ['←'], action: 'previousPage' },
  { keys: ['Delete'], action: 'deleteBubble' },
  { keys: ['←', '↑', '→', '↓'], action: 'moveBubble' },
  { keys: ['Alt', '←', '↑', '→', '↓'], action: 'resizeBubble' },
  { keys: ['Alt', '←', '→'], action: 'movePanel' },
  { keys: ['Alt', '↑', '↓'], action: 'movePage' },
  { keys: ['Esc'], action: 'deselect' },
  { keys: ['?'], action: 'help' },
] as const

export function ShortcutsDialog() {
  const { t } = useTranslation()
  const visible = useShortcutsHelp((s) => s.visible)
  const close = useShortcutsHelp((s) => s.close)
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (visible && !dialog.open) dialog.showModal()
    if (!visible && dialog.open) dialog.close()
  }, [visible])
  return (
    // Its content exists only while it is open: the first screen need not build it.
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={close} data-testid="shortcuts-dialog">
      {visible && (
        <>
          <h2 id="shortcuts-title">{t('shortcutsHelp.title')}</h2>
          <dl className="shortcut-list">
            {SHORTCUTS.map((s) => (
              <div key={s.action} className="shortcut-row">
                <dt>{s.keys.map((k) => <kbd key={k}>{k}</kbd>)}</dt>
                <dd>{t(`shortcutsHelp.${s.action}`)}</dd>
              </div>
            ))}
          </dl>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={close} autoFocus>{t('common.close')}</button>
          </div>
        </>
      )}
    </dialog>
  )
}
