import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { XMLValidator } from 'fast-xml-parser'
import * as fontkit from 'fontkit'
import { describe, expect, it } from 'vitest'
import { Bubble, BubbleKind } from '../../src/contract/index.ts'
import { fontFilePaths, fontsDir } from '../../src/pages/font-files.ts'
import { FONT_FACES, faceFor, textWidth, type FontFace } from '../../src/pages/fonts.ts'
import { LAYOUTS, layoutRects } from '../../src/pages/layouts.ts'
import { fitBubbleText, textArea } from '../../src/pages/letter-style.ts'
import { defaultSpeakerSpots, placeDefaultBubbles, renderBubble, type PlacedBubble } from '../../src/pages/lettering.ts'
import { renderPageSvg } from '../../src/pages/render-svg.ts'
import { fitText } from '../../src/pages/text-fit.ts'
import { ltrSample, UKRAINIAN_LINE } from './sample-comic.ts'

function openFont(face: FontFace): fontkit.Font {
  return fontkit.openSync(join(fontsDir(), face.file)) as fontkit.Font
}

function codePoints(text: string): number[] {
  return [...text].filter((ch) => !/\s/.test(ch)).map((ch) => ch.codePointAt(0) as number)
}

describe('shipped fonts', () => {
  it('ships every lettering face as a TTF with its OFL licence', () => {
    expect(FONT_FACES.length).toBeGreaterThanOrEqual(5)
    for (const path of fontFilePaths()) expect(existsSync(path), path).toBe(true)
    for (const pkg of ['bangers', 'comic-neue', 'comic-relief', 'neucha', 'patrick-hand']) {
      expect(readFileSync(join(fontsDir(), `OFL-${pkg}.txt`), 'utf8')).toContain('SIL Open Font License')
    }
  })

  it('measures with the advance widths the font files really have', () => {
    for (const face of FONT_FACES) {
      const font = openFont(face)
      expect(font.familyName).toBe(face.family)
      expect(font.unitsPerEm).toBe(face.unitsPerEm)
      for (const cp of codePoints('Hello, World! Їжак — ґанок? 0123')) {
        if (!face.advance.has(cp)) continue
        expect(font.glyphForCodePoint(cp).advanceWidth, `${face.key} U+${cp.toString(16)}`).toBe(face.advance.get(cp))
      }
    }
  })

  it('letters the Ukrainian line in a face whose cmap has every code point', () => {
    for (const kind of BubbleKind.options) {
      const face = faceFor(kind, UKRAINIAN_LINE, 'uk')
      const font = openFont(face)
      for (const cp of codePoints(UKRAINIAN_LINE)) {
        expect(font.hasGlyphForCodePoint(cp), `${face.key} lacks U+${cp.toString(16)}`).toBe(true)
        expect(font.glyphForCodePoint(cp).id).toBeGreaterThan(0)
      }
    }
    // English keeps the classic faces; Cyrillic text in an English comic still finds a face that has it.
    expect(faceFor('speech', 'Hello!', 'en').family).toBe('Comic Neue')
    expect(faceFor('shout', 'BLAM!', 'en').family).toBe('Bangers')
    expect(faceFor('shout', 'БАХ!', 'en').family).toBe('Comic Relief')
    expect(faceFor('caption', 'Київ', 'uk').family).toBe('Neucha')
  })
})

describe('text fitting', () => {
  const face = faceFor('speech', 'x', 'en')
  const opts = { maxSize: 9, minSize: 6, lineHeight: 1.2 }

  it('wraps inside an ellipse: every line within the chord at its height, at the largest size that fits', () => {
    const area = { shape: 'ellipse' as const, width: 120, height: 70 }
    const block = fitText(face, 'Look! The depot lights are still on, and somebody is inside.', area, opts)
    expect(block.overflow).toBe(false)
    expect(block.lines.join(' ')).toBe('Look! The depot lights are still on, and somebody is inside.')
    block.lines.forEach((line, i) => {
      const top = block.baselines[i] - block.lineHeight * 0.75
      const bottom = block.baselines[i] + block.lineHeight * 0.25
      const edge = Math.max(Math.abs(top), Math.abs(bottom))
      const chord = 2 * (area.width / 2) * Math.sqrt(Math.max(0, 1 - (edge / (area.height / 2)) ** 2))
      expect(textWidth(face, line, block.size)).toBeLessThanOrEqual(chord + 1)
    })
    expect(block.height).toBeLessThanOrEqual(area.height)
    const roomy = fitText(face, 'Hi!', area, opts)
    expect(roomy.size).toBe(9)
    expect(roomy.lines).toEqual(['Hi!'])
  })

  it('shrinks long text, splits a word wider than the balloon, and reports what cannot fit', () => {
    const small = { shape: 'rect' as const, width: 60, height: 30 }
    const shrunk = fitText(face, 'one two three four five six seven', small, opts)
    expect(shrunk.size).toBeLessThan(9)
    expect(shrunk.overflow).toBe(false)
    const long = fitText(face, 'Supercalifragilisticexpialidocious', { shape: 'rect', width: 50, height: 60 }, opts)
    expect(long.lines.length).toBeGreaterThan(1)
    expect(long.lines.join('')).toBe('Supercalifragilisticexpialidocious')
    expect(long.broken).toBe(true)
    expect(shrunk.broken).toBe(false)
    for (const line of long.lines) expect(textWidth(face, line, long.size)).toBeLessThanOrEqual(50)
    const hopeless = fitText(face, 'far too many words for a balloon this tiny to ever hold them', { shape: 'rect', width: 30, height: 10 }, opts)
    expect(hopeless.overflow).toBe(true)
    expect(hopeless.size).toBe(6)
    expect(fitText(face, 'Line one\nline two', { shape: 'rect', width: 200, height: 60 }, opts).lines).toEqual(['Line one', 'line two'])
  })
})

function box(b: PlacedBubble, w: number, h: number) {
  return { x: b.x * w, y: b.y * h, width: b.w * w, height: b.h * h }
}

function overlap(a: ReturnType<typeof box>, b: ReturnType<typeof box>): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

// Share of a face (a disc of 0.85 × its head's radius) under any of the boxes, by sampling.
function faceCovered(s: { x: number; y: number; r: number }, boxes: ReturnType<typeof box>[], panel: { width: number; height: number }): number {
  const r = 0.85 * s.r * Math.min(panel.width, panel.height)
  const cx = s.x * panel.width
  const cy = s.y * panel.height
  let inside = 0
  let covered = 0
  for (let i = -20; i <= 20; i++) for (let j = -20; j <= 20; j++) {
    const x = cx + (i / 20) * r
    const y = cy + (j / 20) * r
    if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue
    inside++
    if (boxes.some((b) => x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height)) covered++
  }
  return covered / inside
}

describe('default balloon placement', () => {
  const panel = layoutRects('establishing-two')[0]
  const lines = [
    { kind: 'caption' as const, text: 'Meanwhile, at the depot…', speakerId: null },
    { kind: 'speech' as const, text: 'Look! The depot lights are still on.', speakerId: 'murka' },
    { kind: 'speech' as const, text: 'Then somebody is waiting for us.', speakerId: 'barsik' },
  ]

  for (const readingOrder of ['ltr', 'rtl'] as const) {
    it(`puts balloons near the top, in ${readingOrder} reading order, off the faces, tails aimed at the speakers`, () => {
      const spots = defaultSpeakerSpots(['murka', 'barsik'], 'medium', readingOrder, panel)
      const placed = placeDefaultBubbles(lines, panel, spots, { language: 'en', readingOrder })
      expect(placed.map((b) => b.text)).toEqual(lines.map((l) => l.text))
      const boxes = placed.map((b) => box(b, panel.width, panel.height))
      for (const b of placed) {
        expect(b.x + b.w).toBeLessThanOrEqual(1 + 1e-9)
        expect(b.y + b.h).toBeLessThanOrEqual(1 + 1e-9)
      }
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i], boxes[j])).toBe(0)
      // Off the faces where the artist draws them: no balloon on more than a sliver of a face's rim.
      for (const s of spots) expect(faceCovered(s, boxes, panel), s.id).toBeLessThan(0.03)
      const [caption, first, second] = placed
      // The caption sits in the corner where reading starts; the dialogue follows it in order.
      expect(caption.y).toBe(0)
      expect(readingOrder === 'ltr' ? caption.x : 1 - caption.x - caption.w).toBeCloseTo(0)
      expect(caption.tailX).toBeCloseTo(caption.x + caption.w / 2)
      const firstLeftOfSecond = first.x + first.w / 2 < second.x + second.w / 2
      expect(first.y <= second.y + 0.02).toBe(true)
      expect(firstLeftOfSecond).toBe(readingOrder === 'ltr')
      const spotOf = (id: string) => spots.find((s) => s.id === id)!
      // The first speaker stands where reading starts.
      expect(spotOf('murka').x < spotOf('barsik').x).toBe(readingOrder === 'ltr')
      for (const [b, speaker] of [[first, spotOf('murka')], [second, spotOf('barsik')]] as const) {
        expect(b.y + b.h).toBeLessThan(speaker.y)
        const cx = b.x + b.w / 2
        const cy = b.y + b.h / 2
        const toTip = Math.atan2((b.tailY - cy) * panel.height, (b.tailX - cx) * panel.width)
        const toMouth = Math.atan2((speaker.y - cy) * panel.height, (speaker.x - cx) * panel.width)
        expect(Math.abs(toTip - toMouth)).toBeLessThan(0.35)
        expect(Math.hypot((b.tailX - speaker.x) * panel.width, (b.tailY - speaker.y) * panel.height))
          .toBeLessThan(Math.hypot((cx - speaker.x) * panel.width, (cy - speaker.y) * panel.height))
      }
    })
  }

  it('makes each balloon big enough for its text at full lettering size', () => {
    const spots = defaultSpeakerSpots(['murka'], 'close-up', 'ltr', panel)
    const all = BubbleKind.options.map((kind) => ({ kind, text: kind === 'sfx' ? 'KRAK!' : 'Два коти рятують старий трамвай — їдьмо!', speakerId: kind === 'caption' || kind === 'sfx' ? null : 'murka' }))
    const strip = layoutRects('three-strips')[1]
    for (const target of [panel, strip]) {
      const placed = placeDefaultBubbles(all, target, spots, { language: 'uk', readingOrder: 'ltr' })
      placed.forEach((b) => {
        const fitted = fitBubbleText(b.kind, b.text, b.w * target.width, b.h * target.height, 'uk', 1)
        expect(fitted.block.overflow, b.kind).toBe(false)
        expect(fitted.block.broken, b.kind).toBe(false)
        expect(fitted.block.lines.join(' ')).toBe(b.text)
      })
      const dialogue = placed.filter((b) => b.kind === 'speech' || b.kind === 'thought' || b.kind === 'shout')
      const sizes = dialogue.map((b) => fitBubbleText(b.kind, b.text, b.w * target.width, b.h * target.height, 'uk', 1).block.size)
      expect(Math.min(...sizes)).toBeGreaterThan(6.5)
    }
  })

  it('places a balloon added to a lettered panel off the ones there, sized to its text', () => {
    const spots = defaultSpeakerSpots(['murka', 'barsik'], 'medium', 'ltr', panel)
    const there = placeDefaultBubbles(lines, panel, spots, { language: 'en', readingOrder: 'ltr' })
    for (const kind of ['speech', 'thought', 'shout', 'caption'] as const) {
      const line = { kind, text: 'New line…', speakerId: kind === 'caption' ? null : 'murka' }
      // A balloon already sits where the new one would go in an empty panel.
      const [alone] = placeDefaultBubbles([line], panel, spots, { language: 'en', readingOrder: 'ltr' })
      const around = [...there, alone]
      const [added] = placeDefaultBubbles([line], panel, spots, { language: 'en', readingOrder: 'ltr', around })
      const mine = box(added, panel.width, panel.height)
      for (const b of around) expect(overlap(mine, box(b, panel.width, panel.height)), kind).toBe(0)
      const fitted = fitBubbleText(kind, added.text, mine.width, mine.height, 'en', 1)
      expect(fitted.block.overflow || fitted.block.broken, kind).toBe(false)
    }
  })

  it('points an off-panel speaker out of the panel and leaves narration without a tail', () => {
    const placed = placeDefaultBubbles([
      { kind: 'speech', text: 'Who is there?', speakerId: 'ghost' },
      { kind: 'speech', text: 'Nobody.', speakerId: null },
    ], panel, [], { language: 'en', readingOrder: 'ltr' })
    expect(placed[0].tailX < 0 || placed[0].tailX > 1).toBe(true)
    expect(placed[1].tailX).toBeCloseTo(placed[1].x + placed[1].w / 2)
    expect(placed[1].tailY).toBeCloseTo(placed[1].y + placed[1].h / 2)
  })
})

describe('balloon drawing', () => {
  const panel = { x: 100, y: 100, width: 200, height: 160 }
  const bubble = (kind: Bubble['kind'], tailX = 0.5, tailY = 0.9): Bubble => ({
    id: `b-${kind}`, kind, text: 'Hold on & don\'t <panic>!', speakerId: 's', x: 0.1, y: 0.05, w: 0.6, h: 0.3, tailX, tailY,
  })

  it('draws each kind as its shape with the text as real, escaped <text>', () => {
    const svg = Object.fromEntries(BubbleKind.options.map((k) => [k, renderBubble(bubble(k), panel, { language: 'en', scale: 1 })]))
    for (const k of BubbleKind.options) {
      expect(svg[k]).toContain(`data-kind="${k}"`)
      expect(svg[k]).toMatch(/<text [^>]*font-family="[^"]+"/)
      expect(svg[k]).toContain('&amp;')
      expect(svg[k]).toContain('&lt;panic&gt;')
    }
    expect(svg.speech).toContain('<ellipse')
    expect(svg.speech).toMatch(/<path d="M[^"]*Q/)
    expect((svg.thought.match(/<circle/g) ?? []).length).toBeGreaterThan(8)
    expect(svg.shout).toMatch(/<path d="M(?:[-\d.]+ [-\d.]+L){20,}/)
    expect(svg.caption).toContain('<rect')
    expect(svg.sfx).toContain('rotate(')
    expect(svg.sfx).not.toContain('<ellipse')
    expect(svg.shout).toContain('font-family="Bangers"')
  })

  it('draws a tail only when the tip is outside the balloon', () => {
    const inside = renderBubble(bubble('speech', 0.4, 0.2), panel, { language: 'en', scale: 1 })
    expect(inside).not.toMatch(/<path/)
    const withTail = renderBubble(bubble('thought'), panel, { language: 'en', scale: 1 })
    const withoutTail = renderBubble(bubble('thought', 0.4, 0.2), panel, { language: 'en', scale: 1 })
    expect((withTail.match(/<circle/g) ?? []).length - (withoutTail.match(/<circle/g) ?? []).length).toBe(2 * 3)
  })

  it('keeps the text inside the balloon box', () => {
    for (const kind of BubbleKind.options) {
      const b = bubble(kind)
      const { face, block } = fitBubbleText(kind, b.text, b.w * panel.width, b.h * panel.height, 'en', 1)
      const area = textArea(kind, b.w * panel.width, b.h * panel.height, 1)
      for (const line of block.lines) expect(textWidth(face, line, block.size)).toBeLessThanOrEqual(area.width + 0.5)
      expect(block.height).toBeLessThanOrEqual(area.height + 0.5)
    }
  })
})

describe('placement under any script', () => {
  it('always returns valid bubble geometry whose page still renders as well-formed SVG', () => {
    const word = fc.constantFrom('кіт', 'tram', 'Їжак', 'a', '—', 'supercalifragilistic', '&', '<b>', 'ой!', '42')
    const line = fc.record({
      kind: fc.constantFrom(...BubbleKind.options),
      text: fc.array(word, { minLength: 1, maxLength: 30 }).map((w) => w.join(' ')),
      speakerId: fc.constantFrom(null, 'a', 'b', 'offstage'),
    })
    const base = ltrSample().comic
    fc.assert(fc.property(
      fc.constantFrom(...LAYOUTS), fc.array(line, { maxLength: 6 }), fc.constantFrom('ltr' as const, 'rtl' as const),
      fc.constantFrom('close-up' as const, 'medium' as const, 'wide' as const),
      (layout, lines, readingOrder, shot) => {
        const index = layout.panelCount - 1
        const rect = layoutRects(layout.id)[index]
        const spots = defaultSpeakerSpots(['a', 'b'], shot, readingOrder, rect)
        const placed = placeDefaultBubbles(lines, rect, spots, { language: 'uk', readingOrder })
        const bubbles = placed.map((b, i) => Bubble.parse({ id: `b${i}`, ...b }))
        const panels = Array.from({ length: layout.panelCount }, (_, i) => ({ ...base.pages[0].panels[0], id: `p${i}`, bubbles: i === index ? bubbles : [] }))
        const comic = { ...base, readingOrder, pages: [{ id: 'fuzz', layout: layout.id, panels }] }
        expect(XMLValidator.validate(renderPageSvg(comic, 0, { imageHref: (id) => `/files/${id}` }))).toBe(true)
      }), { numRuns: 60, seed: 8 })
  })
})
