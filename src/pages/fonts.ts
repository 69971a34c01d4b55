import type { BubbleKind, Language } from '../contract/index.ts'
import metrics from './font-metrics.json' with { type: 'json' }

// Advance widths of the shipped fonts (resources/fonts), generated with them by scripts/build-fonts.ts.
// The fonts carry no kerning, so the sum of advances is exactly the width every renderer draws.
interface FontMetrics {
  file: string
  family: string
  weight: number
  unitsPerEm: number
  ascender: number
  descender: number
  capHeight: number
  advances: [number, number[]][]
}

export interface FontFace {
  key: string
  file: string
  family: string
  weight: 400 | 700
  unitsPerEm: number
  ascender: number
  descender: number
  capHeight: number
  advance: Map<number, number>
}

function toFace(m: FontMetrics): FontFace {
  const advance = new Map<number, number>()
  for (const [first, widths] of m.advances) widths.forEach((w, i) => advance.set(first + i, w))
  return {
    key: `${m.family} ${m.weight}`,
    file: m.file,
    family: m.family,
    weight: m.weight === 700 ? 700 : 400,
    unitsPerEm: m.unitsPerEm,
    ascender: m.ascender,
    descender: m.descender,
    capHeight: m.capHeight,
    advance,
  }
}

export const FONT_FACES: readonly FontFace[] = (metrics.fonts as FontMetrics[]).map(toFace)
const BY_KEY = new Map(FONT_FACES.map((f) => [f.key, f]))

export type LetteringRole = BubbleKind | 'folio'

// Preferred faces per role, best first; a face is used only if it has every letter of the text.
const ROLE_FACES: Record<LetteringRole, string[]> = {
  speech: ['Comic Neue 700', 'Comic Relief 700'],
  thought: ['Comic Neue 400', 'Comic Relief 400'],
  shout: ['Bangers 400', 'Comic Relief 700'],
  caption: ['Patrick Hand 400', 'Neucha 400', 'Comic Relief 400'],
  sfx: ['Bangers 400', 'Comic Relief 700'],
  folio: ['Comic Neue 700', 'Comic Relief 700'],
}

// A comic keeps one face per role across its pages: faces that lack the language's alphabet go last.
const ALPHABETS: Record<Language, string> = {
  en: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  uk: 'абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ’',
}

export function missingCodePoints(face: FontFace, text: string): number[] {
  const missing: number[] = []
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number
    if (!/\s/.test(ch) && !face.advance.has(cp)) missing.push(cp)
  }
  return missing
}

function face(key: string): FontFace {
  const found = BY_KEY.get(key)
  if (!found) throw new Error(`font ${key} is not shipped`)
  return found
}

const rankings = new Map<string, FontFace[]>()

function ranked(role: LetteringRole, language: Language): FontFace[] {
  const key = `${role} ${language}`
  let chain = rankings.get(key)
  if (!chain) {
    const faces = ROLE_FACES[role].map(face)
    const fits = (f: FontFace) => missingCodePoints(f, ALPHABETS[language]).length === 0
    chain = [...faces.filter(fits), ...faces.filter((f) => !fits(f))]
    rankings.set(key, chain)
  }
  return chain
}

export function faceFor(role: LetteringRole, text: string, language: Language): FontFace {
  const candidates = ranked(role, language)
  let best = candidates[0]
  let bestMissing = Infinity
  for (const f of candidates) {
    const missing = missingCodePoints(f, text).length
    if (missing === 0) return f
    if (missing < bestMissing) {
      best = f
      bestMissing = missing
    }
  }
  return best
}

const NOTDEF_EM = 0.6

export function textWidth(f: FontFace, text: string, size: number): number {
  let units = 0
  for (const ch of text) units += f.advance.get(ch.codePointAt(0) as number) ?? NOTDEF_EM * f.unitsPerEm
  return (units * size) / f.unitsPerEm
}

export function capHeight(f: FontFace, size: number): number {
  return (f.capHeight * size) / f.unitsPerEm
}
