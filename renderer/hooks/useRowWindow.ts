import { useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { flushSync } from 'react-dom'
import { rowRange, type RowRange } from '../state/rowWindow.ts'

// Which rows of equal height a scrolling element shows. Scrolling renders again only when a row enters
// or leaves the screen, not at every pixel, and then at once, inside the scroll event, so the frame that
// paints the new position already holds its rows: a fast scroll never shows an empty stretch.
export function useRowWindow(ref: RefObject<HTMLElement | null>, count: number, rowHeight: number, viewport: number, overscan: number): RowRange {
  const [scrollTop, setScrollTop] = useState(0)
  // The position as of the last scroll event. Only scroll events read it from the element: reading it
  // here, right after new rows went in, would force their layout ahead of the frame's own.
  const latest = useRef(0)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const same = (a: RowRange, b: RowRange) => a.first === b.first && a.last === b.last
    let shown = rowRange(latest.current, viewport, rowHeight, count, 0)
    // Scrolls within one set of rows render nothing; at a new size those rows may differ.
    setScrollTop(latest.current)
    const onScroll = (): void => {
      const top = (latest.current = el.scrollTop)
      const next = rowRange(top, viewport, rowHeight, count, 0)
      if (same(next, shown)) return
      shown = next
      flushSync(() => setScrollTop(top))
    }
    el.addEventListener('scroll', onScroll, { passive: true })
    return () => el.removeEventListener('scroll', onScroll)
  }, [ref, viewport, rowHeight, count])
  return rowRange(scrollTop, viewport, rowHeight, count, overscan)
}
