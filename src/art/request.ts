import { createHash } from 'node:crypto'
import { ImageRequest, KitsumyError, type Character, type CharacterLook, type Comic, type Panel, type Shot } from '../contract/index.ts'
import { getStyle } from '../styles/styles.ts'

const SHOT_PHRASES: Record<Shot, string> = {
  'extreme-close-up': 'Extreme close-up shot',
  'close-up': 'Close-up shot, head and shoulders',
  'medium': 'Medium shot, waist up',
  'medium-wide': 'Medium wide shot, full figures',
  'wide': 'Wide shot, small figures in a large environment',
  'establishing': 'Establishing shot of the setting',
  'over-the-shoulder': 'Over-the-shoulder shot',
  'low-angle': 'Low-angle shot looking up',
  'high-angle': 'High-angle shot looking down',
}

// The whole bible entry, every time: an image model only keeps a character's look if it is told all of it.
export function describeLook(look: CharacterLook): string {
  const parts = [look.face, look.hair, look.build, look.outfit ? `wearing ${look.outfit}` : '']
  if (look.colors.length > 0) parts.push(`colours ${look.colors.join(', ')}`)
  return parts.filter((p) => p.trim().length > 0).join('; ')
}

function bibleEntry(c: Character): string {
  return `${c.name} (${describeLook(c.look)})`
}

function mix32(h: number, v: number): number {
  let x = (h ^ (v >>> 0)) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

// The characters' fixed seeds anchor the noise, the panel seed varies it; 31 bits suit every engine's seed field.
function requestSeed(characterSeeds: readonly number[], panelSeed: number): number {
  let h = mix32(0x9e3779b9, panelSeed)
  for (const s of characterSeeds) h = mix32(h, s)
  return h >>> 1
}

function clampSize(px: number): number {
  return Math.max(64, Math.min(2048, Math.round(px)))
}

export interface ImageRequestInput {
  comic: Pick<Comic, 'styleId' | 'characters'> & Partial<Pick<Comic, 'readingOrder'>>
  panel: Pick<Panel, 'shot' | 'scene' | 'characterIds' | 'seed'>
  width: number
  height: number
}

// A panel's engine-neutral request: shot, scene, every character's bible entry and the style recipe.
export function buildImageRequest(input: ImageRequestInput): ImageRequest {
  const { comic, panel } = input
  const style = getStyle(comic.styleId)
  const byId = new Map(comic.characters.map((c) => [c.id, c]))
  const cast = panel.characterIds.map((id) => {
    const c = byId.get(id)
    if (!c) throw new KitsumyError('bad_input', `Panel refers to a character that is not in the comic (${id}).`)
    return c
  })
  const scene = panel.scene.trim()
  const prompt = [
    SHOT_PHRASES[panel.shot],
    scene,
    cast.length > 0 ? `Characters: ${cast.map(bibleEntry).join('; ')}` : 'No characters in frame',
    style.prompt,
  ].filter((p) => p.length > 0).join('. ')
  return ImageRequest.parse({
    prompt,
    negative: style.negative,
    seed: requestSeed(cast.map((c) => c.seed), panel.seed),
    width: clampSize(input.width),
    height: clampSize(input.height),
    styleId: style.id,
    references: cast.flatMap((c) => (c.referenceImage ? [c.referenceImage] : [])),
    subject: {
      shot: panel.shot,
      scene,
      characters: cast.map((c) => ({ id: c.id, name: c.name, seed: c.seed, look: c.look })),
      ...(comic.readingOrder === 'rtl' ? { readingOrder: 'rtl' as const } : {}),
    },
  })
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = canonical(v)
    }
    return out
  }
  return value
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value))
}

// The image's cache key: the request plus the style's model preset, so a changed checkpoint or LoRA draws anew.
export function cacheKey(request: ImageRequest): string {
  const preset = getStyle(request.styleId).model
  return createHash('sha256').update(canonicalJson({ request, preset })).digest('hex')
}
