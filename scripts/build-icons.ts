// Renders resources/icon.svg into the PNGs electron-builder packs for each platform (run once; outputs are committed).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { Resvg } from '@resvg/resvg-js'

const svg = readFileSync('resources/icon.svg', 'utf8')
const png = (size: number) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng()

writeFileSync('resources/icon.png', png(1024))
mkdirSync('resources/icons', { recursive: true })
for (const size of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(`resources/icons/${size}x${size}.png`, png(size))
