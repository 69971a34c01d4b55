import { create } from 'zustand'

// Which comic the export dialog is open for; kept apart from the dialog, which loads when first opened
// (`used`) and then stays, so closing it hands focus back like any dialog.
export const useExportDialog = create<{ comicId: string | null; used: boolean; open(comicId: string): void; close(): void }>((set) => ({
  comicId: null,
  used: false,
  open: (comicId) => set({ comicId, used: true }),
  close: () => set({ comicId: null }),
}))
