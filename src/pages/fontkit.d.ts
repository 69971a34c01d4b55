// The part of fontkit (shipped with pdfkit, untyped) that the lettering code and its tests use.
declare module 'fontkit' {
  export interface Glyph {
    id: number
    advanceWidth: number
    codePoints: number[]
  }
  export interface Font {
    postscriptName: string
    familyName: string
    subfamilyName: string
    unitsPerEm: number
    ascent: number
    descent: number
    capHeight: number
    numGlyphs: number
    characterSet: number[]
    glyphForCodePoint(codePoint: number): Glyph
    hasGlyphForCodePoint(codePoint: number): boolean
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font | { fonts: Font[] }
  export function openSync(path: string, postscriptName?: string): Font | { fonts: Font[] }
}
