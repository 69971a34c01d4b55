import { contentSize, type ElementSize } from './measure.ts'

// The boxes around the library's grid, empty: the stylesheet alone decides the grid's width from them
// (the sidebar's column, the screen's padding, the scrollbar's gutter).
const SHELL = '<aside class="sidebar"></aside><main class="main"><section class="screen library-screen"><div class="library-scroll"></div></section></main>'

// The library grid's size before anything of the screen is laid out, from an empty copy of its shell.
// Laying that out costs next to nothing (no text, so no fonts), where measuring the real grid would
// force the whole screen's layout ahead of the frame that draws it. The height is an upper bound (the
// screen's header is not in the copy): at most a row more than fits is drawn until the frame confirms it.
function measureEmptyShell(doc: Document): ElementSize | null {
  const probe = doc.createElement('div')
  probe.className = 'app'
  probe.setAttribute('aria-hidden', 'true')
  probe.style.cssText = 'position: fixed; inset: 0; visibility: hidden; pointer-events: none'
  probe.innerHTML = SHELL
  doc.body.append(probe)
  const grid = probe.querySelector('.library-scroll')
  const size = grid ? contentSize(grid) : null
  probe.remove()
  return size && size.width > 0 && size.height > 0 ? size : null
}

let early: ElementSize | null = null

// Taken by the entry while the app's code is still loading, when the page has nothing else to do.
export function estimateLibraryGridEarly(doc: Document): void {
  early = measureEmptyShell(doc)
}

// The estimate taken early, once; after that (or without it) a fresh one.
export function estimateLibraryGrid(doc: Document): ElementSize | null {
  const size = early ?? measureEmptyShell(doc)
  early = null
  return size
}
