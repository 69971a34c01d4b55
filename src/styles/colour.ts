// Small colour arithmetic on '#rrggbb' strings, shared by the swatches and the sketch artist.
export type Rgb = readonly [number, number, number]

export function parseHex(hex: string): Rgb | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim())
  if (!m) return null
  const n = parseInt(m[1], 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

function clampByte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)))
}

export function toHex(rgb: Rgb): string {
  return '#' + rgb.map((v) => clampByte(v).toString(16).padStart(2, '0')).join('')
}

function rgbOf(hex: string): Rgb {
  return parseHex(hex) ?? [128, 128, 128]
}

// Linear blend: t = 0 gives a, t = 1 gives b.
export function mix(a: string, b: string, t: number): string {
  const x = rgbOf(a)
  const y = rgbOf(b)
  return toHex([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t])
}

export function lighten(hex: string, t: number): string {
  return mix(hex, '#ffffff', t)
}

export function darken(hex: string, t: number): string {
  return mix(hex, '#000000', t)
}

// Perceived brightness 0..1 (Rec. 601 weights are enough for choosing tones).
export function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex)
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255
}

export function saturate(hex: string, amount: number): string {
  const [r, g, b] = rgbOf(hex)
  const grey = 0.299 * r + 0.587 * g + 0.114 * b
  return toHex([grey + (r - grey) * amount, grey + (g - grey) * amount, grey + (b - grey) * amount])
}

export function hsl(h: number, s: number, l: number): string {
  const hue = ((h % 360) + 360) % 360
  const c = (1 - Math.abs(2 * l - 1)) * s
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1))
  const m = l - c / 2
  const [r, g, b] = hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x]
  return toHex([(r + m) * 255, (g + m) * 255, (b + m) * 255])
}
