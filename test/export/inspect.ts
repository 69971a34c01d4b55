import { Resvg } from '@resvg/resvg-js'
import { execFileSync } from 'node:child_process'
import yauzl from 'yauzl'

// Independent readers for what the exporters wrote: poppler for PDFs, yauzl for zips, resvg for PNGs.

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8' })
}

export function pdfInfo(file: string): Record<string, string> {
  const info: Record<string, string> = {}
  for (const line of run('pdfinfo', [file]).split('\n')) {
    const at = line.indexOf(':')
    if (at > 0) info[line.slice(0, at).trim()] = line.slice(at + 1).trim()
  }
  return info
}

export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

export interface PngHeader {
  width: number
  height: number
  colorType: number
}

export function pngHeader(png: Uint8Array): PngHeader {
  const b = Buffer.from(png)
  if (b.readUInt32BE(0) !== 0x89504e47 || b.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG')
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colorType: b[25] }
}

// Decodes a PNG by drawing it with resvg at its own size: RGBA pixels back.
export function decodePng(png: Uint8Array): { width: number; height: number; pixels: Buffer } {
  const { width, height } = pngHeader(png)
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<image href="data:image/png;base64,${Buffer.from(png).toString('base64')}" width="${width}" height="${height}"/></svg>`
  const image = new Resvg(svg, { font: { loadSystemFonts: false } }).render()
  return { width: image.width, height: image.height, pixels: image.pixels }
}

export function pixel(img: { width: number; pixels: Buffer }, x: number, y: number): [number, number, number] {
  const i = (Math.round(y) * img.width + Math.round(x)) * 4
  return [img.pixels[i], img.pixels[i + 1], img.pixels[i + 2]]
}

export async function unzip(buffer: Buffer): Promise<{ name: string; data: Buffer; compressed: boolean }[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))))
  const entries: { name: string; data: Buffer; compressed: boolean }[] = []
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err)
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          entries.push({ name: entry.fileName, data: Buffer.concat(chunks), compressed: entry.compressionMethod !== 0 })
          zip.readEntry()
        })
        stream.on('error', reject)
      })
    })
    zip.on('end', resolve)
    zip.on('error', reject)
    zip.readEntry()
  })
  return entries
}
