import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { redo, undo, useEditor } from '../../state/editor.ts'
import { Icon } from '../Icon.tsx'

// Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, on every screen that edits a comic (the editor, the cast).
export function useHistoryKeys(): void {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!(e.ctrlKey || e.metaKey)) return
      const key = e.key.toLowerCase()
      if (key === 'z') {
        e.preventDefault()
        if (e.shiftKey) redo()
        else undo()
      } else if (key === 'y') {
        e.preventDefault()
        redo()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}

// Undo and redo, each naming the step it takes.
export function HistoryButtons() {
  const { t } = useTranslation()
  const history = useEditor((s) => s.history)
  const lastUndo = history.undo[history.undo.length - 1]
  const lastRedo = history.redo[history.redo.length - 1]
  const undoLabel = lastUndo ? t('editor.undoLabel', { action: t(`editor.action.${lastUndo.action}`) }) : t('editor.nothingToUndo')
  const redoLabel = lastRedo ? t('editor.redoLabel', { action: t(`editor.action.${lastRedo.action}`) }) : t('editor.nothingToRedo')
  return (
    <>
      <button type="button" className="icon-button" data-testid="undo" aria-label={undoLabel} title={undoLabel} disabled={!lastUndo} onClick={() => undo()}>
        <Icon name="undo" />
      </button>
      <button type="button" className="icon-button" data-testid="redo" aria-label={redoLabel} title={redoLabel} disabled={!lastRedo} onClick={() => redo()}>
        <Icon name="redo" />
      </button>
    </>
  )
}
