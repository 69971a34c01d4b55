// Writes each style's swatch into resources/swatches so the packaged app ships them (outputs are committed).
import { mkdirSync, writeFileSync } from 'node:fs'
import { STYLE_IDS } from '../src/contract/index.ts'
import { styleSwatchSvg } from '../src/styles/swatch.ts'

mkdirSync('resources/swatches', { recursive: true })
for (const id of STYLE_IDS) writeFileSync(`resources/swatches/${id}.svg`, styleSwatchSvg(id))
