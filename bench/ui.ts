// The library screen with 10,000 comics, in real Chromium against `kitsumy serve`:
// how soon the first cards show, and how many cards the page holds while scrolling end to end.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { chromium } from 'playwright-core'
import { Library } from '../src/library/library.ts'
import { systemClock } from '../src/platform/clock.ts'
import { pathsFor } from '../src/platform/paths.ts'
import { fillLibrary } from '../test/support/fixtures.ts'

const COMICS = 10_000
const PANELS = 12
const RUNS = 5
const VIEWPORT = { width: 1366, height: 860 }

const home = mkdtempSync(join(tmpdir(), 'kitsumy-bench-ui-'))
const library = new Library(pathsFor(home), systemClock)
const t0 = performance.now()
fillLibrary(library, COMICS, PANELS)
library.close()
console.log(`filled ${COMICS} comics in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

const serve = spawn(process.execPath, ['bin/kitsumy.js', 'serve', '--port', '0'], { env: { ...process.env, KITSUMY_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] })
const url = await new Promise<string>((resolve, reject) => {
  let out = ''
  serve.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out)
    if (m) resolve(m[0])
  })
  serve.once('exit', (code) => reject(new Error(`kitsumy serve exited with ${code}: ${out}`)))
})

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
})

// The renderer marks 'library-first-view' once the first row of real cards is on screen; its time
// counts from the start of navigation, so it covers loading the page, the list query and rendering.
async function firstView(): Promise<number> {
  const page = await browser.newPage({ viewport: VIEWPORT })
  await page.goto(url)
  const ms = await page.waitForFunction(() => performance.getEntriesByName('library-first-view')[0]?.startTime, null, { timeout: 30_000 }).then((h) => h.jsonValue() as Promise<number>)
  await page.close()
  return ms
}

const times: number[] = []
for (let i = 0; i < RUNS; i++) times.push(await firstView())
const sorted = [...times].sort((a, b) => a - b)
const median = sorted[Math.floor(sorted.length / 2)]
console.log(`first view (ms): ${times.map((t) => t.toFixed(0)).join(', ')}; median ${median.toFixed(0)}, cold ${times[0].toFixed(0)}`)

// Scroll the whole shelf in screen-sized steps, then jump around, counting cards in the DOM each time.
const page = await browser.newPage({ viewport: VIEWPORT })
await page.goto(url)
await page.getByTestId('comic-card').first().waitFor()
const grid = page.getByTestId('library-grid')
const total = await grid.evaluate((el) => el.scrollHeight)
const step = await grid.evaluate((el) => el.clientHeight)
// Skeletons count too: they are DOM cards waiting for their data.
const domCards = () => page.locator('[data-testid=library-grid] .comic-card').count()
let maxCards = 0
let steps = 0
const scrollStart = performance.now()
// A screen at a time through the first few thousand pixels, then long strides to the end.
const positions = [...Array.from({ length: 12 }, (_, i) => i * step), ...Array.from({ length: 49 }, (_, i) => Math.round((total * (i + 1)) / 50))]
for (const y of positions) {
  await grid.evaluate((el, top) => el.scrollTo(0, top), y)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  maxCards = Math.max(maxCards, await domCards())
  steps++
}
const scrollMs = performance.now() - scrollStart
let jumpMs = 0
for (const fraction of [0.5, 0.9, 0.1]) {
  const s = performance.now()
  await grid.evaluate((el, f) => el.scrollTo(0, el.scrollHeight * f), fraction)
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=library-grid] .is-skeleton').length === 0 && document.querySelectorAll('[data-testid=comic-card]').length > 0)
  jumpMs = Math.max(jumpMs, performance.now() - s)
  maxCards = Math.max(maxCards, await domCards())
}
console.log(`scrolled ${steps} positions over ${(total / 1000).toFixed(0)}k px in ${scrollMs.toFixed(0)} ms; slowest jump to real cards ${jumpMs.toFixed(0)} ms; most cards in the DOM at once: ${maxCards}`)

await browser.close()
serve.kill('SIGTERM')
await new Promise((r) => serve.once('exit', r))
rmSync(home, { recursive: true, force: true })
console.log(JSON.stringify({ bench: 'ui', comics: COMICS, first_view_ms: Math.round(median), max_dom_cards: maxCards, jump_ms: Math.round(jumpMs) }))
