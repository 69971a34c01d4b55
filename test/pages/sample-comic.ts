import { createHash } from 'node:crypto'
import { Comic, type BubbleKind, type Language, type ReadingOrder, type Shot } from '../../src/contract/index.ts'
import { chooseLayout, layoutRects, panelSize } from '../../src/pages/layouts.ts'
import { defaultSpeakerSpots, placeDefaultBubbles } from '../../src/pages/lettering.ts'
import { hashSeed, seededRandom } from '../../src/platform/random.ts'

export interface SampleLine {
  kind: BubbleKind
  text: string
  speaker: string | null
}

export interface SamplePanel {
  shot: Shot
  characters: string[]
  lines: SampleLine[]
  drawn?: boolean
}

export interface SampleSpec {
  title: string
  language: Language
  readingOrder: ReadingOrder
  characters: { id: string; name: string; color: string }[]
  pages: { layout?: string; panels: SamplePanel[] }[]
}

const SKIES = [['#9fd3ff', '#e8f6ff'], ['#ffb88c', '#ffe3c2'], ['#2b2d5c', '#6b5fa8'], ['#b8e0c8', '#f1fbf4']]

// A simple scene as SVG, like the offline sketch artist draws: sky, ground, and a figure per character
// standing where the lettering expects their face.
function sceneSvg(width: number, height: number, seed: number, figures: { x: number; y: number; r: number; color: string }[]): string {
  const rand = seededRandom(seed)
  const [top, bottom] = SKIES[seed % SKIES.length]
  const ground = height * (0.72 + rand() * 0.1)
  const hills = Array.from({ length: 5 }, (_, i) => {
    const cx = (i / 4) * width
    const r = width * (0.18 + rand() * 0.15)
    return `<ellipse cx="${cx.toFixed(1)}" cy="${ground.toFixed(1)}" rx="${r.toFixed(1)}" ry="${(r * 0.45).toFixed(1)}" fill="#6aa56a" stroke="#2f4f2f" stroke-width="3"/>`
  }).join('')
  const people = figures.map((f) => {
    const cx = f.x * width
    const cy = f.y * height
    const r = f.r * Math.min(width, height)
    return `<g stroke="#1d1d1d" stroke-width="${Math.max(2, r * 0.08).toFixed(1)}">` +
      `<path d="M${(cx - r * 1.1).toFixed(1)} ${(cy + r * 3.2).toFixed(1)}Q${cx.toFixed(1)} ${(cy + r * 0.6).toFixed(1)} ${(cx + r * 1.1).toFixed(1)} ${(cy + r * 3.2).toFixed(1)}Z" fill="${f.color}"/>` +
      `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${r.toFixed(1)}" fill="#f2c9a0"/>` +
      `<circle cx="${(cx - r * 0.35).toFixed(1)}" cy="${(cy - r * 0.1).toFixed(1)}" r="${(r * 0.09).toFixed(1)}" fill="#1d1d1d"/>` +
      `<circle cx="${(cx + r * 0.35).toFixed(1)}" cy="${(cy - r * 0.1).toFixed(1)}" r="${(r * 0.09).toFixed(1)}" fill="#1d1d1d"/>` +
      `<path d="M${(cx - r * 0.3).toFixed(1)} ${(cy + r * 0.42).toFixed(1)}Q${cx.toFixed(1)} ${(cy + r * 0.62).toFixed(1)} ${(cx + r * 0.3).toFixed(1)} ${(cy + r * 0.42).toFixed(1)}" fill="none"/>` +
      '</g>'
  }).join('')
  // Chromium ignores an <image>'s preserveAspectRatio for SVG art and uses the art's own, so the art says slice.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid slice">` +
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs>` +
    `<rect width="${width}" height="${height}" fill="url(#sky)"/>${hills}` +
    `<rect y="${ground.toFixed(1)}" width="${width}" height="${(height - ground).toFixed(1)}" fill="#8fbf7a"/>${people}</svg>`
}

function imageIdOf(bytes: Uint8Array, ext: string): string {
  return `${createHash('sha256').update(bytes).digest('hex')}.${ext}`
}

// A hand-built, schema-valid comic with SVG panel art and default lettering, plus its image store.
export function sampleComic(spec: SampleSpec): { comic: Comic; images: Map<string, Uint8Array> } {
  const images = new Map<string, Uint8Array>()
  const colors = new Map(spec.characters.map((c) => [c.id, c.color]))
  const pages = spec.pages.map((p, pageIndex) => {
    const pageId = `page-${pageIndex + 1}`
    const layout = p.layout ?? chooseLayout(p.panels.length, hashSeed(pageId))
    const rects = layoutRects(layout)
    return {
      id: pageId,
      layout,
      panels: p.panels.map((panel, i) => {
        const panelId = `${pageId}-panel-${i + 1}`
        const spots = defaultSpeakerSpots(panel.characters, panel.shot, spec.readingOrder, rects[i])
        const size = panelSize(layout, i, 512)
        let image: string | null = null
        if (panel.drawn !== false) {
          const svg = sceneSvg(size.width, size.height, hashSeed(panelId), spots.map((s) => ({ ...s, color: colors.get(s.id) ?? '#888' })))
          const bytes = new TextEncoder().encode(svg)
          image = imageIdOf(bytes, 'svg')
          images.set(image, bytes)
        }
        const placed = placeDefaultBubbles(
          panel.lines.map((l) => ({ kind: l.kind, text: l.text, speakerId: l.speaker })),
          rects[i], spots, { language: spec.language, readingOrder: spec.readingOrder })
        return {
          id: panelId,
          shot: panel.shot,
          scene: 'a test scene',
          characterIds: panel.characters,
          seed: hashSeed(panelId),
          image,
          status: image ? 'done' as const : 'pending' as const,
          error: null,
          bubbles: placed.map((b, k) => ({ id: `${panelId}-b${k + 1}`, ...b })),
        }
      }),
    }
  })
  const panelCount = pages.reduce((sum, p) => sum + p.panels.length, 0)
  const comic = Comic.parse({
    id: `comic-${hashSeed(spec.title)}`,
    title: spec.title,
    idea: `${spec.title}: an idea`,
    summary: `${spec.title} — a short summary for the metadata.`,
    styleId: spec.readingOrder === 'rtl' ? 'shonen' : 'modern-superhero',
    language: spec.language,
    readingOrder: spec.readingOrder,
    status: 'done',
    pageCount: pages.length,
    panelCount,
    cover: pages[0]?.panels[0]?.image ?? null,
    createdAt: 1_767_225_600_000,
    updatedAt: 1_767_225_600_000,
    trashedAt: null,
    seed: 7,
    characters: spec.characters.map((c, i) => ({
      id: c.id, name: c.name, role: 'lead',
      look: { face: 'round', hair: 'short', build: 'slim', outfit: 'coat', colors: [c.color] },
      seed: i + 1, referenceImage: null,
    })),
    pages,
  })
  return { comic, images }
}

export const CATS = [
  { id: 'murka', name: 'Murka', color: '#e07a5f' },
  { id: 'barsik', name: 'Barsik', color: '#3d5a80' },
]

// An LTR English comic and a manga-order Ukrainian comic, two pages each, every bubble kind used.
export function ltrSample(): ReturnType<typeof sampleComic> {
  return sampleComic({
    title: 'Two Cats and the Old Tram',
    language: 'en',
    readingOrder: 'ltr',
    characters: CATS,
    pages: [
      {
        layout: 'establishing-three',
        panels: [
          { shot: 'establishing', characters: ['murka', 'barsik'], lines: [
            { kind: 'caption', text: 'Kyiv, the last night of the old tram line.', speaker: null },
            { kind: 'speech', text: 'Look! The depot lights are still on.', speaker: 'murka' },
          ] },
          { shot: 'medium', characters: ['barsik'], lines: [{ kind: 'thought', text: 'She is going to get us into trouble again.', speaker: 'barsik' }] },
          { shot: 'close-up', characters: ['murka'], lines: [{ kind: 'shout', text: 'We have to save it!', speaker: 'murka' }] },
          { shot: 'wide', characters: ['murka', 'barsik'], lines: [
            { kind: 'speech', text: 'Fine. But I am driving.', speaker: 'barsik' },
            { kind: 'sfx', text: 'CLANG!', speaker: null },
          ] },
        ],
      },
      {
        layout: 'grid-2x2',
        panels: [
          { shot: 'medium-wide', characters: ['murka', 'barsik'], lines: [
            { kind: 'speech', text: 'Do you even know how to drive a tram?', speaker: 'murka' },
            { kind: 'speech', text: 'How hard can it be?', speaker: 'barsik' },
          ] },
          { shot: 'close-up', characters: ['barsik'], lines: [{ kind: 'sfx', text: 'VRRRM', speaker: null }] },
          { shot: 'high-angle', characters: ['murka'], lines: [{ kind: 'caption', text: 'It was, in fact, quite hard.', speaker: null }] },
          { shot: 'medium', characters: ['murka', 'barsik'], drawn: false, lines: [{ kind: 'speech', text: 'Next stop: home!', speaker: 'murka' }] },
        ],
      },
    ],
  })
}

export const UKRAINIAN_LINE = 'Два коти рятують старий трамвай — їдьмо!'

export function rtlSample(): ReturnType<typeof sampleComic> {
  return sampleComic({
    title: 'Коти і трамвай',
    language: 'uk',
    readingOrder: 'rtl',
    characters: CATS,
    pages: [
      {
        layout: 'tall-left-two',
        panels: [
          { shot: 'medium', characters: ['murka', 'barsik'], lines: [
            { kind: 'caption', text: 'Київ. Остання ніч старого трамвая.', speaker: null },
            { kind: 'speech', text: UKRAINIAN_LINE, speaker: 'murka' },
            { kind: 'speech', text: 'Ґаздиня нас уб’є!', speaker: 'barsik' },
          ] },
          { shot: 'close-up', characters: ['barsik'], lines: [{ kind: 'thought', text: 'Ну й пригода…', speaker: 'barsik' }] },
          { shot: 'wide', characters: ['murka'], lines: [{ kind: 'shout', text: 'Тримайся!', speaker: 'murka' }, { kind: 'sfx', text: 'БАХ!', speaker: null }] },
        ],
      },
      {
        layout: 'grid-3x2',
        panels: Array.from({ length: 6 }, (_, i) => ({
          shot: (['medium', 'close-up', 'wide', 'medium-wide', 'over-the-shoulder', 'establishing'] as const)[i],
          characters: i % 2 === 0 ? ['murka', 'barsik'] : ['barsik'],
          lines: [{ kind: 'speech' as const, text: ['Їдемо!', 'Гальмуй!', 'Ще трохи…', 'Ми встигли!', 'Дякую, друже.', 'Кінець.'][i], speaker: i % 2 === 0 ? 'murka' : 'barsik' }],
        })),
      },
    ],
  })
}
