import { create } from 'zustand'
import { formatHash, parseHash, type Route } from './hash.ts'

export { formatHash, parseHash, type Route } from './hash.ts'

interface RouteState {
  route: Route
  go(route: Route, opts?: { replace?: boolean }): void
}

export const useRoute = create<RouteState>((set) => ({
  route: parseHash(globalThis.location?.hash ?? ''),
  go(route, opts) {
    const hash = formatHash(route)
    if (opts?.replace) history.replaceState(history.state, '', hash)
    else if (location.hash !== hash) history.pushState(history.state, '', hash)
    set({ route })
  },
}))

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => useRoute.setState({ route: parseHash(location.hash) }))
  window.addEventListener('hashchange', () => useRoute.setState({ route: parseHash(location.hash) }))
}
