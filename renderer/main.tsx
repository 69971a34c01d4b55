import '@fontsource/bangers/400.css'
import '@fontsource/comic-relief/400.css'
import '@fontsource/comic-relief/700.css'
import './styles/theme.css'
import './styles/app.css'
import { sendEarly } from './client/early.ts'
import { takeToken } from './client/token.ts'
import type { KitsumyBridge } from './client/types.ts'
import { parseHash } from './state/hash.ts'
import { DEFAULT_SORT, chunkInput } from './state/shelf.ts'

// All the page evaluates before the app's code: in serve mode it sends the first screen's requests,
// so the engine answers them while the (preloaded) app bundle evaluates, then it starts the app.
function sendFirstRequests(win: Window & { kitsumy?: KitsumyBridge }): void {
  if (win.kitsumy) return
  const token = takeToken(win)
  if (!token) return
  const base = win.location.origin
  sendEarly(base, token, 'app.info', {})
  sendEarly(base, token, 'styles.list', {})
  const route = parseHash(win.location.hash)
  if (route.name === 'library') sendEarly(base, token, 'comics.list', chunkInput('', DEFAULT_SORT, route.trash, 0))
}

sendFirstRequests(window)
void import('./boot.tsx')
