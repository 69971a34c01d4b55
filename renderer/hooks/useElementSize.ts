import { useLayoutEffect, useState, type RefObject } from 'react'
import { flushSync } from 'react-dom'
import { contentSize, type ElementSize } from './measure.ts'

export type { ElementSize } from './measure.ts'

const UNMEASURED: ElementSize = { width: 0, height: 0 }

// An element's size, read without forcing a layout of its own. With an estimate the first render lays
// out with it, and the browser's own layout, in the frame that first shows the element, confirms it (a
// ResizeObserver's first report). A wrong width renders again inside that frame, so it is never painted;
// a wrong height only moves where rows end below the screen's edge, and waits for the next render.
// Without an estimate the size is measured before the first paint (a forced layout). Later sizes are
// read the same way (client sizes are whole pixels, a ResizeObserver entry is not).
export function useElementSize(ref: RefObject<HTMLElement | null>, estimate?: () => ElementSize | null): ElementSize {
  const [estimated] = useState(() => estimate?.() ?? null)
  const [size, setSize] = useState(estimated ?? UNMEASURED)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    let last = estimated ?? contentSize(el)
    if (!estimated) setSize(last)
    const observer = new ResizeObserver(() => {
      const next = contentSize(el)
      if (next.width === last.width && next.height === last.height) return
      const widthChanged = next.width !== last.width
      last = next
      if (widthChanged) flushSync(() => setSize(next))
      else setSize(next)
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref, estimated])
  return size
}
