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
