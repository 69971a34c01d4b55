import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import '@fontsource/bangers/400.css'
import '@fontsource/comic-relief/400.css'
import '@fontsource/comic-relief/700.css'
import './styles/theme.css'
import './styles/app.css'
import { pickClient } from './client/index.ts'
import { i18n } from './i18n.ts'
import { prefetchLibrary } from './state/library.ts'
import { useRoute } from './state/routes.ts'
import { startSession, useSession } from './state/session.ts'
import { App } from './App.tsx'

const client = pickClient(window)
if (client) {
  startSession(client)
  const { route } = useRoute.getState()
  if (route.name === 'library') prefetchLibrary(route.trash)
} else {
  useSession.setState({ locked: true })
}

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>
    </StrictMode>,
  )
}
