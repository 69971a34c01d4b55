// Small helpers for writing SVG by hand: short numbers and escaped text.
export function n(value: number): string {
  return (Math.round(value * 100) / 100).toString()
}

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export interface Point {
  x: number
  y: number
}
