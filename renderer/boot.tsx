import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { forgetEarly } from './client/early.ts'
import { pickClient } from './client/index.ts'
import { i18n } from './i18n.ts'
import { prefetchLibrary } from './state/library.ts'
import { useRoute } from './state/routes.ts'
import { startSession, useSession } from './state/session.ts'
import { App } from './App.tsx'

// The shelf's first cards were asked for by main.tsx and are usually in by now: waiting this long at
// most lets the first render lay the library out once, full, instead of empty and then again.
const FIRST_SHELF_WAIT_MS = 150

function startClient(): Promise<void> {
  const client = pickClient(window)
  if (!client) {
    useSession.setState({ locked: true })
    return Promise.resolve()
  }
  startSession(client)
  const { route } = useRoute.getState()
  return route.name === 'library' ? prefetchLibrary(route.trash) : Promise.resolve()
}

function mount(): void {
  const root = document.getElementById('root')
  if (!root) return
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>
    </StrictMode>,
  )
}

const firstShelf = startClient()
forgetEarly()
void Promise.race([firstShelf, new Promise((resolve) => setTimeout(resolve, FIRST_SHELF_WAIT_MS))]).then(mount)
