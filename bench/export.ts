// Exports a 10-page, 40-panel comic as PDF, CBZ and PNG pages and times each (target: ≤ 5 s each).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { exportComic, type ExportOptions } from '../src/export/export.ts'
import { CATS, sampleComic, type SamplePanel } from '../test/pages/sample-comic.ts'

const SHOTS = ['establishing', 'medium', 'close-up', 'wide', 'medium-wide', 'over-the-shoulder', 'high-angle', 'low-angle'] as const
const LINES = [
  'Look! The depot lights are still on.',
  'Somebody is waiting for us.',
  'Hold on tight, this tram has not moved in years!',
  'Next stop: home.',
  'Are you sure this is a good idea?',
]
const LAYOUTS = ['grid-2x2', 'establishing-three', 'wide-middle-four', 'four-tiers']

const { comic, images } = sampleComic({
  title: 'Bench: Forty Panels',
  language: 'en',
  readingOrder: 'ltr',
  characters: CATS,
  pages: Array.from({ length: 10 }, (_, p) => ({
    layout: LAYOUTS[p % LAYOUTS.length],
    panels: Array.from({ length: 4 }, (_, i): SamplePanel => {
      const n = p * 4 + i
      return {
        shot: SHOTS[n % SHOTS.length],
        characters: n % 3 === 0 ? ['murka'] : ['murka', 'barsik'],
        lines: [
          ...(i === 0 ? [{ kind: 'caption' as const, text: `Chapter ${p + 1}.`, speaker: null }] : []),
          { kind: n % 5 === 2 ? 'shout' as const : 'speech' as const, text: LINES[n % LINES.length], speaker: 'murka' },
          ...(n % 3 === 0 ? [] : [{ kind: n % 4 === 1 ? 'thought' as const : 'speech' as const, text: LINES[(n + 2) % LINES.length], speaker: 'barsik' }]),
          ...(n % 6 === 5 ? [{ kind: 'sfx' as const, text: 'CLANG!', speaker: null }] : []),
        ],
      }
    }),
  })),
})

const dir = mkdtempSync(join(tmpdir(), 'kitsumy-bench-export-'))
const base = { loadImage: async (id: string) => images.get(id) as Uint8Array }

async function timed(format: ExportOptions['format'], out: string): Promise<number> {
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const result = await exportComic(comic, { ...base, format, out })
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const bytes = result.files.reduce((sum, f) => sum + statSync(f).size, 0)
  // CPU seconds (all threads) show the work done even when other processes share the cores.
  console.log(`${format}: ${result.pages} pages, ${comic.panelCount} panels, ${result.files.length} file(s), ${(bytes / 1e6).toFixed(1)} MB ` +
    `in ${seconds.toFixed(2)} s (${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU-s on ${availableParallelism()} cores)`)
  return seconds
}

try {
  const pdf = await timed('pdf', join(dir, 'comic.pdf'))
  const cbz = await timed('cbz', join(dir, 'comic.cbz'))
  const png = await timed('png', join(dir, 'pages'))
  console.log(JSON.stringify({ bench: 'export', pdf_s: +pdf.toFixed(2), cbz_s: +cbz.toFixed(2), png_s: +png.toFixed(2) }))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
