import { hsl } from '../styles/colour.ts'

// Colour words a character bible may use, and the paint the sketch artist mixes for them.
const NAMED: Record<string, string> = {
  'rust orange': '#c8642a', 'copper red': '#b5502c', 'sandy gold': '#d8b26a', 'silver grey': '#a9adb3', 'ginger': '#d9822b',
  'grey tabby': '#8d8a85', 'jet black': '#1e1e22', 'snow white': '#f4f4f0', 'cream': '#f1e4c8', 'tortoiseshell': '#7a4b2a',
  'chocolate brown': '#5d3a22', 'golden': '#d9a441', 'caramel': '#c28a4a', 'beige': '#d8c3a0', 'black and white': '#2a2a2a',
  'ash grey': '#9d9c97', 'charcoal grey': '#45464b', 'honey brown': '#b07a3a', 'tawny': '#a9743f', 'blue-black': '#1f2633',
  'sky blue': '#7fb7e6', 'mustard yellow': '#d9aa2b', 'pale pink': '#f2b8c0', 'pale yellow': '#f3e6a0', 'moss green': '#6d8a3a',
  'olive green': '#6b7a3a', 'lime green': '#8cc43f', 'silver': '#c3c7cc', 'copper': '#b87333', 'white': '#f6f6f2', 'teal': '#2a8c8c',
  'emerald green': '#2e9a5e', 'crimson': '#b5203a', 'plum purple': '#74406e', 'gold': '#d4a52a', 'ghost white': '#e8eef5',
  'pale blue': '#bcd4ec', 'mint green': '#9ed9b8', 'lavender': '#b7a4d9', 'pale peach': '#f3cdb1', 'light peach': '#eebf9c',
  'warm beige': '#d9a87f', 'golden tan': '#c68d5c', 'olive tan': '#b58158', 'deep brown': '#7a4a2e', 'dark brown': '#4a2e1c',
  'chestnut': '#7b3f22', 'auburn': '#8f3a1f', 'blond': '#e3c06a', 'platinum blond': '#efe3b8', 'camel': '#bf8f58',
  'navy blue': '#263a66', 'burgundy': '#7a1f33', 'forest green': '#2f5d3a', 'royal blue': '#2f5bc4', 'khaki': '#b5a878',
  'denim blue': '#4a6d9c', 'brick red': '#a8462f', 'coral': '#ee7a62', 'orange': '#ea8a2c', 'rust brown': '#8a4a2a',
  'amber': '#d99a2b', 'green': '#4c9a4c', 'blue': '#3f74c4', 'brown': '#6b4326', 'grey': '#8d8d8d', 'gray': '#8d8d8d',
  'hazel': '#8a6a32', 'violet': '#8a5ac4', 'red': '#c8322f', 'black': '#222226', 'yellow': '#e8c33a', 'pink': '#e88aa6',
  'purple': '#7c4ea8', 'tan': '#c69c6d', 'ivory': '#f4efdf', 'peach': '#f0b08a', 'turquoise': '#33b5b0', 'maroon': '#6e2230',
  'olive': '#7a7a3a', 'navy': '#263a66', 'scarlet': '#d2262f', 'indigo': '#3d3a8c', 'magenta': '#c23a8e', 'cyan': '#38b8d8',
  'fair': '#f3d2b8', 'pale': '#f2dccb', 'dark': '#2a2a2e', 'light brown': '#a77a52', 'platinum': '#e6e2d8', 'ginger red': '#c9602a',
}

const WORDS = Object.keys(NAMED).sort((a, b) => b.length - a.length)

// Knows exact names, names inside longer phrases ("belted camel trench coat"), and '#rrggbb'.
export function findColour(text: string): string | null {
  const t = text.toLowerCase()
  const hex = /#[0-9a-f]{6}\b/.exec(t)
  if (hex) return hex[0]
  if (NAMED[t.trim()]) return NAMED[t.trim()]
  for (const w of WORDS) {
    const at = t.indexOf(w)
    if (at >= 0 && !/[a-z]/.test(t[at - 1] ?? '') && !/[a-z]/.test(t[at + w.length] ?? '')) return NAMED[w]
  }
  return null
}

export function knowsColour(name: string): boolean {
  return findColour(name) !== null
}

// Any text gets a colour: a known word, or a stable hue from the text itself.
export function colourOf(text: string, lightness = 0.55): string {
  const found = findColour(text)
  if (found) return found
  let h = 0
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0
  return hsl(h % 360, 0.45, lightness)
}
