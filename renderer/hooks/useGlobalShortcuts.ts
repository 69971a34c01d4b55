import { useEffect } from 'react'
import { create } from 'zustand'
import { useRoute } from '../state/routes.ts'

export const useShortcutsHelp = create<{ visible: boolean; open(): void; close(): void }>((set) => ({
  visible: false,
  open: () => set({ visible: true }),
  close: () => set({ visible: false }),
}))

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

export const SEARCH_INPUT_ID = 'library-search'

// App-wide single keys; screens add their own (undo/redo in the editor, arrows in the reader).
export function useGlobalShortcuts(): void {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return
      const { go, route } = useRoute.getState()
      if (e.key === 'n') {
        e.preventDefault()
        go({ name: 'new' })
      } else if (e.key === 'l') {
        e.preventDefault()
        go({ name: 'library', trash: false })
      } else if (e.key === '/') {
        e.preventDefault()
        if (route.name !== 'library') go({ name: 'library', trash: false })
        requestAnimationFrame(() => document.getElementById(SEARCH_INPUT_ID)?.focus())
      } else if (e.key === '?') {
        e.preventDefault()
        useShortcutsHelp.getState().open()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
