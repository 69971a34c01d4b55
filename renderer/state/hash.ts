// Pure: the boot module reads the route from here before the app's code (and zustand) has loaded.
export type Route =
  | { name: 'library'; trash: boolean }
  | { name: 'new' }
  | { name: 'progress'; comicId: string }
  | { name: 'reader'; comicId: string; page: number }
  | { name: 'editor'; comicId: string; panelId?: string }
  | { name: 'characters'; comicId: string }
  | { name: 'costs' }
  | { name: 'settings' }

const ID = /^[A-Za-z0-9_-]{1,64}$/

// Routes live in the hash, so a reload (or Electron's file:// page) lands on the same screen.
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
  const [head, id, extra, sub] = parts
  if (head === 'new') return { name: 'new' }
  if (head === 'trash') return { name: 'library', trash: true }
  if (head === 'costs') return { name: 'costs' }
  if (head === 'settings') return { name: 'settings' }
  if (head === 'progress' && id && ID.test(id)) return { name: 'progress', comicId: id }
  if (head === 'comic' && id && ID.test(id)) {
    if (extra === 'edit') return sub && ID.test(sub) ? { name: 'editor', comicId: id, panelId: sub } : { name: 'editor', comicId: id }
    if (extra === 'characters') return { name: 'characters', comicId: id }
    const page = Number(extra)
    return { name: 'reader', comicId: id, page: Number.isInteger(page) && page > 0 ? page - 1 : 0 }
  }
  return { name: 'library', trash: false }
}

export function formatHash(route: Route): string {
  switch (route.name) {
    case 'library': return route.trash ? '#/trash' : '#/'
    case 'new': return '#/new'
    case 'progress': return `#/progress/${route.comicId}`
    case 'reader': return route.page > 0 ? `#/comic/${route.comicId}/${route.page + 1}` : `#/comic/${route.comicId}`
    case 'editor': return route.panelId ? `#/comic/${route.comicId}/edit/${route.panelId}` : `#/comic/${route.comicId}/edit`
    case 'characters': return `#/comic/${route.comicId}/characters`
    case 'costs': return '#/costs'
    case 'settings': return '#/settings'
  }
}
