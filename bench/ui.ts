// The library screen with 10,000 comics, in real Chromium against `kitsumy serve`:
// how soon the first cards show, and how many cards the page holds while scrolling end to end.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { chromium, type Browser } from 'playwright-core'
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

const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
const launch = () => chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: BROWSER_ARGS })

interface FirstView {
  ms: number
  // When each part of the way arrived, from the page's own resource timing (ms from navigation start).
  parts: string
}

// CPU time (clock ticks) used so far by every Chromium process on the machine; the bench runs alone.
function chromiumTicks(): number {
  let ticks = 0
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (!/\(chrom[^)]*\)/.test(stat)) continue
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks
}

// A new browser window starts Chromium's own work (its WebUI omnibox pop-up renderer takes 400-700 ms of
// CPU on this 2-core machine). That is the test browser opening a window, not the studio opening its
// library, and an Electron window has none of it: wait until every Chromium process has been idle for a
// quarter second (at most 10 s) before navigating.
async function browserQuiet(): Promise<void> {
  const until = performance.now() + 10_000
  let before = chromiumTicks()
  while (performance.now() < until) {
    await new Promise((r) => setTimeout(r, 250))
    const now = chromiumTicks()
    if (now - before <= 1) return
    before = now
  }
}

// The renderer marks 'library-first-view' once the first row of real cards is on screen; its time
// counts from the start of navigation, so it covers loading the page, the list query and rendering.
// Each run is a new browser context, so nothing is cached from the run before.
async function firstView(browser: Browser, settle: boolean): Promise<FirstView> {
  const page = await browser.newPage({ viewport: VIEWPORT })
  if (settle) await browserQuiet()
  await page.goto(url)
  const ms = await page.waitForFunction(() => performance.getEntriesByName('library-first-view')[0]?.startTime, null, { timeout: 30_000 }).then((h) => h.jsonValue() as Promise<number>)
  const parts = await page.evaluate(() => {
    const ends = performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname, (e as PerformanceResourceTiming).responseEnd] as const)
    const at = (test: RegExp) => ends.filter(([path]) => test.test(path)).map(([, end]) => end.toFixed(0)).join('/') || '-'
    // Node's types for `performance` know no 'navigation' entries; the page's performance has one.
    const html = performance.getEntries().find((e) => (e.entryType as string) === 'navigation') as PerformanceResourceTiming
    // `kitsumy serve` puts the first screen's answers in the page; otherwise the page asks for them.
    const data = document.getElementById('kitsumy-first-answers') ? 'in the page' : `comics.list ${at(/\/api\/comics\.list$/)}, styles ${at(/\/api\/styles\.list$/)}, settings ${at(/\/api\/settings\.get$/)}`
    return `html ${html.responseEnd.toFixed(0)}, entry ${at(/\/assets\/index-.*\.js$/)}, css ${at(/\.css$/)}, first-screen chunks ${at(/\/assets\/(boot|vendor)-/)}, first-screen data ${data}`
  })
  await page.close()
  return { ms, parts }
}

async function firstViews(browser: Browser, settle: boolean): Promise<FirstView[]> {
  const views: FirstView[] = []
  for (let i = 0; i < RUNS; i++) views.push(await firstView(browser, settle))
  return views
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
}

const browser = await launch()
const views = await firstViews(browser, true)
const times = views.map((v) => v.ms)
for (const [i, v] of views.entries()) console.log(`  run ${i + 1}: mark ${v.ms.toFixed(0)} ms; arrived: ${v.parts}`)
console.log(`first view (ms): ${times.map((t) => t.toFixed(0)).join(', ')}; median ${median(times).toFixed(0)}, cold ${times[0].toFixed(0)}`)

// For comparison, navigating at once while the new window's own start-up work still runs.
const freshWindowTimes = (await firstViews(browser, false)).map((v) => v.ms)
console.log(`first view while the new window still starts up (ms): ${freshWindowTimes.map((t) => t.toFixed(0)).join(', ')}; median ${median(freshWindowTimes).toFixed(0)}`)

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
console.log(JSON.stringify({ bench: 'ui', comics: COMICS, first_view_ms: Math.round(median(times)), first_view_ms_fresh_window: Math.round(median(freshWindowTimes)), max_dom_cards: maxCards, jump_ms: Math.round(jumpMs) }))
