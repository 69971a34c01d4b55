import { useEffect, useState } from 'react'
import type { Language, Page, ReadingOrder } from '../../src/contract/index.ts'
import { call } from '../state/session.ts'
import { PageArt } from './PageArt.tsx'

// What the engine's page renderer would draw differently: layout, images, every bubble.
function signature(page: Page): string {
  return [page.layout, ...page.panels.map((p) => `${p.id}:${p.image ?? ''}:${JSON.stringify(p.bubbles)}`)].join('|')
}

// The engine's own lettered page (the same SVG that goes into exports); the studio's drawing
// stands in while it loads or if the engine cannot render it.
export function PageView({ comicId, page, pageIndex, readingOrder, language, title }: { comicId: string; page: Page; pageIndex: number; readingOrder: ReadingOrder; language: Language; title: string }) {
  const sig = signature(page)
  const [svg, setSvg] = useState<{ sig: string; markup: string } | null>(null)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    let live = true
    call('pages.svg', { comicId, pageIndex }).then(
      ({ svg: markup }) => { if (live) setSvg({ sig, markup }) },
      () => { if (live) setFailed(true) },
    )
    return () => { live = false }
  }, [comicId, pageIndex, sig])

  if (svg && !failed) return <div className="page-svg" role="img" aria-label={title} dangerouslySetInnerHTML={{ __html: svg.markup }} />
  return <PageArt page={page} readingOrder={readingOrder} language={language} title={title} />
}
