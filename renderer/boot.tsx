import { StrictMode } from 'react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { describeError } from '../src/i18n/index.ts'
import { forgetEarly } from './client/early.ts'
import { loadChecks, onLateFailure } from './client/envelope.ts'
import { pickClient } from './client/index.ts'
import { i18n, i18nReady } from './i18n.ts'
import { prefetchLibrary } from './state/library.ts'
import { useRoute } from './state/routes.ts'
import { startSession, toast, useSession } from './state/session.ts'
import { App } from './App.tsx'

// The first screen's data came inside the page or was asked for by main.tsx, and is usually in by now:
// waiting this long at most lets the first render lay the screen out once, full, instead of empty and then again.
const FIRST_SCREEN_WAIT_MS = 150

function startClient(): Promise<unknown> {
  const client = pickClient(window)
  if (!client) {
    useSession.setState({ locked: true })
    return Promise.resolve()
  }
  const { route } = useRoute.getState()
  return Promise.all([startSession(client), route.name === 'library' ? prefetchLibrary(route.trash) : null])
}

// Rendered at once rather than in a later task, so nothing else the page has queued comes between the
// first screen's data and its first frame.
function mount(): void {
  const root = document.getElementById('root')
  if (!root) return
  const app = createRoot(root)
  flushSync(() => app.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>
    </StrictMode>,
  ))
}

// The contract's checks (client/envelope.ts) load once the first screen is drawn and the page is idle.
function loadChecksWhenIdle(): void {
  requestIdleCallback(() => loadChecks().catch(() => setTimeout(loadChecksWhenIdle, 2000)), { timeout: 1000 })
}

onLateFailure((err) => toast(describeError(i18n.t, err.code, err.message), 'error'))
const firstScreen = startClient()
forgetEarly()
const firstData = Promise.race([firstScreen, new Promise((resolve) => setTimeout(resolve, FIRST_SCREEN_WAIT_MS))])
void Promise.all([firstData, i18nReady]).then(() => {
  mount()
  loadChecksWhenIdle()
})
