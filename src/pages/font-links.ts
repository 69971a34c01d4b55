import type { FontFace } from './fonts.ts'

// Where a studio page fetches a lettering font: both shells serve the shipped files under this path, so what
// is on screen is lettered in the very fonts its text was fitted with. Pure, for the renderer too.
export const FONT_PATH = '/fonts/'
export const fontUrl = (file: string) => `${FONT_PATH}${file}`

// One @font-face rule per face, its file fetched from `src(face)`.
export function fontFaceRules(faces: readonly FontFace[], src: (face: FontFace) => string): string {
  return faces.map((f) => `@font-face{font-family:"${f.family}";font-weight:${f.weight};font-style:normal;src:url("${src(f)}") format("truetype")}`).join('')
}
