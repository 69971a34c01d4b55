import { createHttpClient } from './http.ts'
import { createIpcClient } from './ipc.ts'
import { takeToken } from './token.ts'
import type { KitsumyBridge, StudioClient } from './types.ts'

export * from './types.ts'

// Electron's preload wins; otherwise this page was served by `kitsumy serve`. Null means no way in.
export function pickClient(win: Window & { kitsumy?: KitsumyBridge }): StudioClient | null {
  if (win.kitsumy) return createIpcClient(win.kitsumy)
  const token = takeToken(win)
  if (!token) return null
  return createHttpClient({ baseUrl: win.location.origin, token })
}
