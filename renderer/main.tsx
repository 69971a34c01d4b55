import '@fontsource/bangers/400.css'
import './styles/theme.css'
import './styles/app.css'
import { takeFirstAnswers } from './client/early.ts'
import { takeToken } from './client/token.ts'
import type { KitsumyBridge } from './client/types.ts'
import { parseHash } from './state/hash.ts'
import { savedLang } from './savedLang.ts'
import { estimateLibraryGridEarly } from './hooks/gridEstimate.ts'

// All the page evaluates before the app's code: in serve mode it takes the first screen's answers the
// server put in the page, asks for any it did not, so the engine answers them while the (preloaded) app
// bundle evaluates, then it starts the app; while the app's code loads it reads the chosen language and
// sizes the library's grid.
function takeFirstScreen(win: Window & { kitsumy?: KitsumyBridge }): void {
  if (win.kitsumy) return
  const token = takeToken(win)
  if (token) takeFirstAnswers(win, win.location.origin, token, parseHash(win.location.hash))
}

takeFirstScreen(window)
void import('./boot.tsx')
savedLang()
if (parseHash(window.location.hash).name === 'library') estimateLibraryGridEarly(document)
