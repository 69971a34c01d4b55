import type { Style } from '../../src/contract/index.ts'

// A cover stand-in from the style's own colours, for comics with no picture yet.
export function paletteGradient(style: Style | undefined): string {
  if (!style) return 'linear-gradient(135deg, #2a2433, #1b1722)'
  const [a, b, c] = style.palette
  return `linear-gradient(150deg, ${a} 0%, ${b} 55%, ${c ?? b} 100%)`
}
