// Builds the lettering fonts the app ships (resources/fonts/*.ttf) and their advance widths
// (src/pages/font-metrics.json) from the @fontsource packages. Run once after changing the font set:
//   node scripts/build-fonts.ts
// Fontsource ships each font split per Unicode subset as WOFF; resvg needs TTF and a Ukrainian line needs
// Latin punctuation and Cyrillic letters from one face, so the subsets are unpacked and merged into one TTF.
// GSUB/GPOS are dropped on purpose: without kerning, summed advance widths are exactly what resvg, pdfkit
// and the browser draw, so text measured here fits the balloon everywhere.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inflateSync } from 'node:zlib'
import * as fontkit from 'fontkit'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const FONTSOURCE = join(ROOT, 'node_modules', '@fontsource')
const OUT_DIR = join(ROOT, 'resources', 'fonts')
const METRICS_FILE = join(ROOT, 'src', 'pages', 'font-metrics.json')

interface FontSpec {
  file: string
  family: string
  weight: 400 | 700
  pkg: string
  subsets: string[]
}

// The first subset is the base: its glyph ids, names and vertical metrics are kept.
const FONTS: FontSpec[] = [
  { file: 'Bangers-Regular.ttf', family: 'Bangers', weight: 400, pkg: 'bangers', subsets: ['latin', 'latin-ext'] },
  { file: 'ComicNeue-Regular.ttf', family: 'Comic Neue', weight: 400, pkg: 'comic-neue', subsets: ['latin'] },
  { file: 'ComicNeue-Bold.ttf', family: 'Comic Neue', weight: 700, pkg: 'comic-neue', subsets: ['latin'] },
  { file: 'ComicRelief-Regular.ttf', family: 'Comic Relief', weight: 400, pkg: 'comic-relief', subsets: ['latin', 'latin-ext', 'cyrillic'] },
  { file: 'ComicRelief-Bold.ttf', family: 'Comic Relief', weight: 700, pkg: 'comic-relief', subsets: ['latin', 'latin-ext', 'cyrillic'] },
  { file: 'Neucha-Regular.ttf', family: 'Neucha', weight: 400, pkg: 'neucha', subsets: ['latin', 'cyrillic'] },
  { file: 'PatrickHand-Regular.ttf', family: 'Patrick Hand', weight: 400, pkg: 'patrick-hand', subsets: ['latin', 'latin-ext'] },
]

type Tables = Map<string, Buffer>

function decodeWoff(woff: Buffer): Tables {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 file')
  const numTables = woff.readUInt16BE(12)
  const tables: Tables = new Map()
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20
    const tag = woff.toString('latin1', at, at + 4)
    const offset = woff.readUInt32BE(at + 4)
    const compLength = woff.readUInt32BE(at + 8)
    const origLength = woff.readUInt32BE(at + 12)
    const raw = woff.subarray(offset, offset + compLength)
    const data = compLength < origLength ? inflateSync(raw) : Buffer.from(raw)
    if (data.length !== origLength) throw new Error(`table ${tag}: ${data.length} bytes, expected ${origLength}`)
    tables.set(tag, data)
  }
  return tables
}

interface SourceFont {
  tables: Tables
  cmap: Map<number, number>
  glyphs: Buffer[]
  advances: number[]
  lsbs: number[]
}

function table(tables: Tables, tag: string): Buffer {
  const t = tables.get(tag)
  if (!t) throw new Error(`missing table ${tag}`)
  return t
}

function readSource(woffPath: string): SourceFont {
  const woff = readFileSync(woffPath)
  const tables = decodeWoff(woff)
  const head = table(tables, 'head')
  const numGlyphs = table(tables, 'maxp').readUInt16BE(4)
  const longLoca = head.readInt16BE(50) === 1
  const loca = table(tables, 'loca')
  const glyf = table(tables, 'glyf')
  const offsetAt = (i: number) => longLoca ? loca.readUInt32BE(i * 4) : loca.readUInt16BE(i * 2) * 2
  const glyphs: Buffer[] = []
  for (let i = 0; i < numGlyphs; i++) glyphs.push(glyf.subarray(offsetAt(i), offsetAt(i + 1)))
  const hmtx = table(tables, 'hmtx')
  const numberOfHMetrics = table(tables, 'hhea').readUInt16BE(34)
  const advances: number[] = []
  const lsbs: number[] = []
  for (let i = 0; i < numGlyphs; i++) {
    if (i < numberOfHMetrics) {
      advances.push(hmtx.readUInt16BE(i * 4))
      lsbs.push(hmtx.readInt16BE(i * 4 + 2))
    } else {
      advances.push(advances[numberOfHMetrics - 1])
      lsbs.push(hmtx.readInt16BE(numberOfHMetrics * 4 + (i - numberOfHMetrics) * 2))
    }
  }
  const font = fontkit.create(woff) as fontkit.Font
  const cmap = new Map<number, number>()
  for (const cp of font.characterSet) {
    const gid = font.glyphForCodePoint(cp).id
    // fontkit also lists the cmap's 0xFFFF end-of-table marker; it maps nothing.
    if (gid !== 0 && cp !== 0xffff) cmap.set(cp, gid)
  }
  return { tables, cmap, glyphs, advances, lsbs }
}

const ARG_1_AND_2_ARE_WORDS = 0x0001
const WE_HAVE_A_SCALE = 0x0008
const MORE_COMPONENTS = 0x0020
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
const WE_HAVE_A_TWO_BY_TWO = 0x0080

// Calls visit(componentGlyphId, offsetOfThatId) for each component of a composite glyph.
function eachComponent(glyph: Buffer, visit: (gid: number, at: number) => void): void {
  if (glyph.length === 0 || glyph.readInt16BE(0) >= 0) return
  let at = 10
  for (;;) {
    const flags = glyph.readUInt16BE(at)
    visit(glyph.readUInt16BE(at + 2), at + 2)
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2)
    if (flags & WE_HAVE_A_SCALE) at += 2
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8
    if (!(flags & MORE_COMPONENTS)) return
  }
}

interface Merged {
  glyphs: Buffer[]
  advances: number[]
  lsbs: number[]
  cmap: Map<number, number>
}

function merge(sources: SourceFont[]): Merged {
  const base = sources[0]
  const out: Merged = { glyphs: [...base.glyphs], advances: [...base.advances], lsbs: [...base.lsbs], cmap: new Map(base.cmap) }
  for (const src of sources.slice(1)) {
    const imported = new Map<number, number>()
    const importGlyph = (gid: number): number => {
      const known = imported.get(gid)
      if (known !== undefined) return known
      const glyph = Buffer.from(src.glyphs[gid])
      eachComponent(glyph, (component, at) => glyph.writeUInt16BE(importGlyph(component), at))
      const newId = out.glyphs.length
      out.glyphs.push(glyph)
      out.advances.push(src.advances[gid])
      out.lsbs.push(src.lsbs[gid])
      imported.set(gid, newId)
      return newId
    }
    for (const [cp, gid] of src.cmap) {
      if (!out.cmap.has(cp)) out.cmap.set(cp, importGlyph(gid))
    }
  }
  return out
}

// Comic Relief Bold's "ю" is drawn 0.35 em past its own advance upstream, so it collides with the next
// letter. Bangers leans past its advances by ~0.12 em by design, so only gross overhangs are repaired.
function repairAdvances(merged: Merged, unitsPerEm: number): void {
  merged.glyphs.forEach((glyph, gid) => {
    if (glyph.length < 10) return
    const xMax = glyph.readInt16BE(6)
    if (xMax - merged.advances[gid] > 0.3 * unitsPerEm) merged.advances[gid] = xMax + Math.max(0, merged.lsbs[gid])
  })
}

function buildCmap(cmap: Map<number, number>): Buffer {
  const cps = [...cmap.keys()].filter((cp) => cp <= 0xfffe).sort((a, b) => a - b)
  if (cps.length !== cmap.size) throw new Error('code points beyond the BMP need a format 12 cmap')
  const segments: { start: number; end: number; delta: number; ids: number[] | null }[] = []
  for (let i = 0; i < cps.length;) {
    let j = i
    while (j + 1 < cps.length && cps[j + 1] === cps[j] + 1) j++
    const ids = cps.slice(i, j + 1).map((cp) => cmap.get(cp) as number)
    const delta = ids[0] - cps[i]
    const linear = ids.every((id, k) => id - (cps[i] + k) === delta)
    segments.push({ start: cps[i], end: cps[j], delta: linear ? delta : 0, ids: linear ? null : ids })
    i = j + 1
  }
  segments.push({ start: 0xffff, end: 0xffff, delta: 1, ids: null })
  const segCount = segments.length
  const glyphIdCount = segments.reduce((n, s) => n + (s.ids ? s.ids.length : 0), 0)
  const length = 16 + segCount * 8 + glyphIdCount * 2
  const sub = Buffer.alloc(length)
  const searchRange = 2 * 2 ** Math.floor(Math.log2(segCount))
  sub.writeUInt16BE(4, 0)
  sub.writeUInt16BE(length, 2)
  sub.writeUInt16BE(segCount * 2, 6)
  sub.writeUInt16BE(searchRange, 8)
  sub.writeUInt16BE(Math.log2(searchRange / 2), 10)
  sub.writeUInt16BE(segCount * 2 - searchRange, 12)
  const endAt = 14
  const startAt = endAt + segCount * 2 + 2
  const deltaAt = startAt + segCount * 2
  const rangeAt = deltaAt + segCount * 2
  const idsAt = rangeAt + segCount * 2
  let nextId = 0
  segments.forEach((s, k) => {
    sub.writeUInt16BE(s.end, endAt + k * 2)
    sub.writeUInt16BE(s.start, startAt + k * 2)
    sub.writeUInt16BE((s.delta + 0x10000) & 0xffff, deltaAt + k * 2)
    if (s.ids) {
      const idPos = idsAt + nextId * 2
      sub.writeUInt16BE(idPos - (rangeAt + k * 2), rangeAt + k * 2)
      s.ids.forEach((id, n) => sub.writeUInt16BE(id, idPos + n * 2))
      nextId += s.ids.length
    }
  })
  const header = Buffer.alloc(4 + 2 * 8)
  header.writeUInt16BE(0, 0)
  header.writeUInt16BE(2, 2)
  header.writeUInt16BE(0, 4) // Unicode platform, BMP encoding
  header.writeUInt16BE(3, 6)
  header.writeUInt32BE(header.length, 8)
  header.writeUInt16BE(3, 12) // Windows platform, Unicode BMP
  header.writeUInt16BE(1, 14)
  header.writeUInt32BE(header.length, 16)
  return Buffer.concat([header, sub])
}

function checksum(data: Buffer): number {
  const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data
  let sum = 0
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0
  return sum
}

function pad4(data: Buffer): Buffer {
  return data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data
}

const MAXP_FIELDS = 13 // maxPoints .. maxComponentDepth in maxp 1.0

function buildFont(sources: SourceFont[], merged: Merged): Buffer {
  const base = sources[0].tables
  const numGlyphs = merged.glyphs.length

  const glyfParts: Buffer[] = []
  const loca = Buffer.alloc((numGlyphs + 1) * 4)
  let offset = 0
  merged.glyphs.forEach((g, i) => {
    loca.writeUInt32BE(offset, i * 4)
    const padded = pad4(g)
    glyfParts.push(padded)
    offset += padded.length
  })
  loca.writeUInt32BE(offset, numGlyphs * 4)

  const hmtx = Buffer.alloc(numGlyphs * 4)
  merged.advances.forEach((adv, i) => {
    hmtx.writeUInt16BE(adv, i * 4)
    hmtx.writeInt16BE(merged.lsbs[i], i * 4 + 2)
  })

  const head = Buffer.from(table(base, 'head'))
  head.writeUInt32BE(0, 8)
  head.writeInt16BE(1, 50)
  for (const src of sources) {
    const h = table(src.tables, 'head')
    head.writeInt16BE(Math.min(head.readInt16BE(36), h.readInt16BE(36)), 36)
    head.writeInt16BE(Math.min(head.readInt16BE(38), h.readInt16BE(38)), 38)
    head.writeInt16BE(Math.max(head.readInt16BE(40), h.readInt16BE(40)), 40)
    head.writeInt16BE(Math.max(head.readInt16BE(42), h.readInt16BE(42)), 42)
  }

  const hhea = Buffer.from(table(base, 'hhea'))
  hhea.writeUInt16BE(Math.max(...merged.advances), 10)
  hhea.writeUInt16BE(numGlyphs, 34)

  const maxp = Buffer.from(table(base, 'maxp'))
  maxp.writeUInt16BE(numGlyphs, 4)
  if (maxp.readUInt32BE(0) === 0x00010000) {
    for (let f = 0; f < MAXP_FIELDS; f++) {
      const at = 6 + f * 2
      maxp.writeUInt16BE(Math.max(...sources.map((s) => table(s.tables, 'maxp').readUInt16BE(at))), at)
    }
  }

  const post = Buffer.from(table(base, 'post').subarray(0, 32))
  post.writeUInt32BE(0x00030000, 0)

  const os2 = Buffer.from(table(base, 'OS/2'))
  const cps = [...merged.cmap.keys()]
  os2.writeUInt16BE(Math.min(...cps), 64)
  os2.writeUInt16BE(Math.min(0xffff, Math.max(...cps)), 66)
  if (cps.some((cp) => cp >= 0x400 && cp <= 0x4ff)) {
    os2.writeUInt32BE((os2.readUInt32BE(42) | (1 << 9)) >>> 0, 42) // ulUnicodeRange1: Cyrillic
    if (os2.readUInt16BE(0) >= 1) os2.writeUInt32BE((os2.readUInt32BE(78) | (1 << 2)) >>> 0, 78) // ulCodePageRange1: 1251
  }

  const tables: [string, Buffer][] = [
    ['OS/2', os2], ['cmap', buildCmap(merged.cmap)], ['glyf', Buffer.concat(glyfParts)], ['head', head],
    ['hhea', hhea], ['hmtx', hmtx], ['loca', loca], ['maxp', maxp], ['name', table(base, 'name')], ['post', post],
  ]
  if (base.has('gasp')) tables.push(['gasp', table(base, 'gasp')])
  tables.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

  const numTables = tables.length
  const entrySelector = Math.floor(Math.log2(numTables))
  const searchRange = 2 ** entrySelector * 16
  const header = Buffer.alloc(12 + numTables * 16)
  header.writeUInt32BE(0x00010000, 0)
  header.writeUInt16BE(numTables, 4)
  header.writeUInt16BE(searchRange, 6)
  header.writeUInt16BE(entrySelector, 8)
  header.writeUInt16BE(numTables * 16 - searchRange, 10)
  let at = header.length
  const bodies: Buffer[] = []
  tables.forEach(([tag, data], i) => {
    const rec = 12 + i * 16
    header.write(tag, rec, 4, 'latin1')
    header.writeUInt32BE(checksum(data), rec + 4)
    header.writeUInt32BE(at, rec + 8)
    header.writeUInt32BE(data.length, rec + 12)
    const padded = pad4(data)
    bodies.push(padded)
    at += padded.length
  })
  const font = Buffer.concat([header, ...bodies])
  const headAt = header.readUInt32BE(12 + tables.findIndex(([tag]) => tag === 'head') * 16 + 8)
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headAt + 8)
  return font
}

// Advance widths as runs of consecutive code points: [[firstCodePoint, [w, w, ...]], ...].
function advanceRuns(merged: Merged): [number, number[]][] {
  const cps = [...merged.cmap.keys()].sort((a, b) => a - b)
  const runs: [number, number[]][] = []
  for (const cp of cps) {
    const w = merged.advances[merged.cmap.get(cp) as number]
    const last = runs[runs.length - 1]
    if (last && last[0] + last[1].length === cp) last[1].push(w)
    else runs.push([cp, [w]])
  }
  return runs
}

function main(): void {
  mkdirSync(OUT_DIR, { recursive: true })
  const metrics: Record<string, unknown>[] = []
  for (const spec of FONTS) {
    const sources = spec.subsets.map((subset) =>
      readSource(join(FONTSOURCE, spec.pkg, 'files', `${spec.pkg}-${subset}-${spec.weight}-normal.woff`)))
    const merged = merge(sources)
    repairAdvances(merged, table(sources[0].tables, 'head').readUInt16BE(18))
    const ttf = buildFont(sources, merged)
    writeFileSync(join(OUT_DIR, spec.file), ttf)
    const check = fontkit.create(ttf) as fontkit.Font
    const hhea = table(sources[0].tables, 'hhea')
    const os2 = table(sources[0].tables, 'OS/2')
    metrics.push({
      file: spec.file,
      family: spec.family,
      weight: spec.weight,
      unitsPerEm: table(sources[0].tables, 'head').readUInt16BE(18),
      ascender: hhea.readInt16BE(4),
      descender: hhea.readInt16BE(6),
      capHeight: os2.readUInt16BE(0) >= 2 ? os2.readInt16BE(88) : check.capHeight,
      advances: advanceRuns(merged),
    })
    console.log(`${spec.file}: ${merged.glyphs.length} glyphs, ${merged.cmap.size} code points, ${ttf.length} bytes, fontkit sees ${check.characterSet.length}`)
  }
  const licensed = new Set(FONTS.map((f) => f.pkg))
  for (const pkg of licensed) copyFileSync(join(FONTSOURCE, pkg, 'LICENSE'), join(OUT_DIR, `OFL-${pkg}.txt`))
  writeFileSync(METRICS_FILE, JSON.stringify({ fonts: metrics }) + '\n')
}

main()
