import { renderAsync } from '@resvg/resvg-js'
import { deflate } from 'node:zlib'
import { promisify } from 'node:util'
import { fontFilePaths } from '../pages/font-files.ts'

const deflateAsync = promisify(deflate)

export interface RasterPage {
  png: Buffer
  width: number
  height: number
}

// Only the shipped fonts: a page looks the same on every machine, and a glyph they lack is visible in tests.
function resvgOptions(fit: { mode: 'zoom'; value: number } | { mode: 'width'; value: number }) {
  return {
    fitTo: fit,
    background: '#ffffff',
    font: { fontFiles: fontFilePaths(), loadSystemFonts: false, defaultFontFamily: 'Comic Relief' },
    logLevel: 'off' as const,
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let c = i
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[i] = c >>> 0
  }
  return table
})()

function crc32(data: Uint8Array): number {
  let c = 0xffffffff
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

// Opaque RGB PNG from resvg's RGBA pixels (drawn on white, so alpha carries nothing). RGB PNGs go into a
// PDF as they are, where an alpha channel would make pdfkit decode and split every pixel.
export async function encodeRgbPng(rgba: Buffer, width: number, height: number, dpi: number): Promise<Buffer> {
  const stride = width * 3 + 1
  const raw = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    let o = y * stride + 1
    let i = y * width * 4
    for (let x = 0; x < width; x++, i += 4) {
      raw[o++] = rgba[i]
      raw[o++] = rgba[i + 1]
      raw[o++] = rgba[i + 2]
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const phys = Buffer.alloc(9)
  const perMetre = Math.round(dpi / 0.0254)
  phys.writeUInt32BE(perMetre, 0)
  phys.writeUInt32BE(perMetre, 4)
  phys[8] = 1
  const idat = await deflateAsync(raw, { level: 3 })
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('pHYs', phys), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0)),
  ])
}

// A page SVG (in points) to PNG at the given dots per inch.
export async function rasterizePage(svg: string, dpi: number): Promise<RasterPage> {
  const image = await renderAsync(svg, resvgOptions({ mode: 'zoom', value: dpi / 72 }))
  const png = await encodeRgbPng(image.pixels, image.width, image.height, dpi)
  return { png, width: image.width, height: image.height }
}

// Any image resvg can read (SVG art, WebP) as an opaque PNG of the given width.
export async function rasterizeImage(svg: string, widthPx: number): Promise<RasterPage> {
  const image = await renderAsync(svg, resvgOptions({ mode: 'width', value: Math.max(1, Math.round(widthPx)) }))
  const png = await encodeRgbPng(image.pixels, image.width, image.height, 72)
  return { png, width: image.width, height: image.height }
}
