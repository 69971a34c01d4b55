import { useEffect } from 'react'
import { create } from 'zustand'
import { useExportDialog } from '../state/exportDialog.ts'
import { redo, undo } from '../state/editor.ts'
import { useRoute } from '../state/routes.ts'
import { onStudioEvent } from '../state/session.ts'

export const useAbout = create<{ visible: boolean; open(): void; close(): void }>((set) => ({
  visible: false,
  open: () => set({ visible: true }),
  close: () => set({ visible: false }),
}))

// The desktop menu (Electron) speaks through studio events; in a browser none arrive.
export function useMenuEvents(): void {
  useEffect(() => onStudioEvent((event) => {
    if (event.type !== 'menu') return
    const { go, route } = useRoute.getState()
    switch (event.command) {
      case 'new': go({ name: 'new' }); break
      case 'settings': go({ name: 'settings' }); break
      case 'undo': undo(); break
      case 'redo': redo(); break
      case 'about': useAbout.getState().open(); break
      case 'export':
        if ('comicId' in route) useExportDialog.getState().open(route.comicId)
        break
    }
  }), [])
}
