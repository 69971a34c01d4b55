import { useLayoutEffect, useState, type RefObject } from 'react'

function contentWidth(el: HTMLElement): number {
  const style = getComputedStyle(el)
  return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
}

// Measured before the first paint, so a virtual grid lays out its real columns from the first frame.
// Resizes are read the same way (clientWidth is whole pixels, a ResizeObserver entry is not).
export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    let last = contentWidth(el)
    setWidth(last)
    // The observer's first report only repeats this measure; an unchanged width must not cost a render.
    const observer = new ResizeObserver(() => {
      const next = contentWidth(el)
      if (next !== last) setWidth((last = next))
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref])
  return width
}
