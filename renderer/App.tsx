import { useTranslation } from 'react-i18next'
import { AboutDialog } from './components/AboutDialog.tsx'
import { Banners } from './components/Banners.tsx'
import { ShortcutsDialog } from './components/ShortcutsDialog.tsx'
import { Sidebar } from './components/Sidebar.tsx'
import { Toasts } from './components/Toasts.tsx'
import { useGlobalShortcuts } from './hooks/useGlobalShortcuts.ts'
import { useMenuEvents } from './hooks/useMenuEvents.ts'
import { lazy, Suspense } from 'react'
import { LibraryScreen } from './screens/LibraryScreen.tsx'
import { LockedScreen } from './screens/LockedScreen.tsx'
import { useExportDialog } from './state/exportDialog.ts'
import { useRoute, type Route } from './state/routes.ts'
import { useSession } from './state/session.ts'

// The library opens first and fast; every other screen, and the export dialog, loads when first opened.
const ProgressScreen = lazy(() => import('./screens/ProgressScreen.tsx').then((m) => ({ default: m.ProgressScreen })))
const ReaderScreen = lazy(() => import('./screens/ReaderScreen.tsx').then((m) => ({ default: m.ReaderScreen })))
const NewComicScreen = lazy(() => import('./screens/NewComicScreen.tsx').then((m) => ({ default: m.NewComicScreen })))
const EditorScreen = lazy(() => import('./screens/EditorScreen.tsx').then((m) => ({ default: m.EditorScreen })))
const CharactersScreen = lazy(() => import('./screens/CharactersScreen.tsx').then((m) => ({ default: m.CharactersScreen })))
const CostsScreen = lazy(() => import('./screens/CostsScreen.tsx').then((m) => ({ default: m.CostsScreen })))
const SettingsScreen = lazy(() => import('./screens/SettingsScreen.tsx').then((m) => ({ default: m.SettingsScreen })))
const ExportDialog = lazy(() => import('./components/ExportDialog.tsx').then((m) => ({ default: m.ExportDialog })))

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'library': return <LibraryScreen trash={route.trash} />
    case 'new': return <NewComicScreen />
    case 'progress': return <ProgressScreen key={route.comicId} comicId={route.comicId} />
    case 'reader': return <ReaderScreen key={route.comicId} comicId={route.comicId} page={route.page} />
    case 'editor': return <EditorScreen key={route.comicId} comicId={route.comicId} panelId={route.panelId} />
    case 'characters': return <CharactersScreen key={route.comicId} comicId={route.comicId} />
    case 'costs': return <CostsScreen />
    case 'settings': return <SettingsScreen />
  }
}

export function App() {
  const { t } = useTranslation()
  const route = useRoute((s) => s.route)
  const locked = useSession((s) => s.locked)
  const exportUsed = useExportDialog((s) => s.used)
  useGlobalShortcuts()
  useMenuEvents()
  if (locked) return <LockedScreen />
  return (
    <div className="app">
      <button className="skip-link" type="button" onClick={() => document.getElementById('main')?.focus()}>
        {t('app.skipToContent')}
      </button>
      <Sidebar route={route} />
      <main id="main" className="main" tabIndex={-1}>
        <Banners />
        <Suspense fallback={<div className="screen" aria-busy="true" />}>
          <Screen route={route} />
        </Suspense>
      </main>
      <Toasts />
      <ShortcutsDialog />
      <AboutDialog />
      {exportUsed && (
        <Suspense fallback={null}>
          <ExportDialog />
        </Suspense>
      )}
    </div>
  )
}
