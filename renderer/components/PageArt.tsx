import type { Language, Page, ReadingOrder } from '../../src/contract/index.ts'
import { PAGE_H, PAGE_W, panelFrames, useLayouts } from '../state/layouts.ts'
import { fileUrl } from '../state/session.ts'
import { Lettering } from './Lettering.tsx'

// The studio's own drawing of a page from its data, for when the engine's page SVG is not at hand.
export function PageArt({ page, readingOrder, language, title }: { page: Page; readingOrder: ReadingOrder; language: Language; title: string }) {
  const layouts = useLayouts((s) => s.layouts)
  const frames = panelFrames(page, readingOrder, layouts)
  return (
    <svg className="page-art" viewBox={`0 0 ${PAGE_W} ${PAGE_H}`} role="img" aria-label={title}>
      <rect width={PAGE_W} height={PAGE_H} fill="#fbf8f1" />
      {page.panels.map((panel, i) => {
        const f = frames[i]
        return (
          <svg key={panel.id} x={f.x} y={f.y} width={f.w} height={f.h} viewBox={`0 0 ${f.w} ${f.h}`}>
            <rect width={f.w} height={f.h} fill="#d9d3c7" />
            {panel.image && <image href={fileUrl(panel.image)} width={f.w} height={f.h} preserveAspectRatio="xMidYMid slice" />}
            <Lettering bubbles={panel.bubbles} size={f.points} language={language} W={f.w} />
            <rect width={f.w} height={f.h} fill="none" stroke="#141118" strokeWidth={5} />
          </svg>
        )
      })}
    </svg>
  )
}
