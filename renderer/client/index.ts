import { createHttpClient } from './http.ts'
import { createIpcClient } from './ipc.ts'
import type { KitsumyBridge, StudioClient } from './types.ts'

export * from './types.ts'

const TOKEN_KEY = 'kitsumy.token'

// Serve mode hands the token in the address once; keep it for this tab and take it out of sight.
export function takeToken(win: Window): string | null {
  const url = new URL(win.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    win.sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return win.sessionStorage.getItem(TOKEN_KEY)
}

// Electron's preload wins; otherwise this page was served by `kitsumy serve`. Null means no way in.
export function pickClient(win: Window & { kitsumy?: KitsumyBridge }): StudioClient | null {
  if (win.kitsumy) return createIpcClient(win.kitsumy)
  const token = takeToken(win)
  if (!token) return null
  return createHttpClient({ baseUrl: win.location.origin, token })
}
