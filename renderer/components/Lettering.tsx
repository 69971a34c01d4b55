import { useMemo } from 'react'
import type { Bubble, Language } from '../../src/contract/index.ts'
import { fontFaceRules, fontUrl } from '../../src/pages/font-links.ts'
import { FONT_FACES } from '../../src/pages/fonts.ts'
import { renderBubble } from '../../src/pages/lettering.ts'
import type { Size } from '../../src/pages/trim.ts'
import { LETTER_SCALE } from '../state/layouts.ts'

// The shipped lettering faces, served by both shells; a browser fetches each only once some text uses it.
const fonts = document.createElement('style')
fonts.textContent = fontFaceRules(FONT_FACES, (f) => fontUrl(f.file))
document.head.append(fonts)

// One balloon as the engine letters it (face, size, line breaks, shape), in its panel's points: the same
// markup the page SVG and every export draw, so what is edited is what is read and exported.
function Balloon({ bubble, size, language }: { bubble: Bubble; size: Size; language: Language }) {
  const markup = useMemo(
    () => renderBubble(bubble, { x: 0, y: 0, width: size.width, height: size.height }, { language, scale: LETTER_SCALE }),
    [bubble, size.width, size.height, language],
  )
  return <g dangerouslySetInnerHTML={{ __html: markup }} />
}

// A panel's lettering, its `size` in points drawn `W` units wide.
export function Lettering({ bubbles, size, language, W }: { bubbles: Bubble[]; size: Size; language: Language; W: number }) {
  return (
    <g className="lettering" transform={`scale(${W / size.width})`}>
      {bubbles.map((b) => <Balloon key={b.id} bubble={b} size={size} language={language} />)}
    </g>
  )
}
