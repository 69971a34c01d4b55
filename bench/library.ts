import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Library } from '../src/library/library.ts'
import { pathsFor } from '../src/platform/paths.ts'
import { systemClock } from '../src/platform/clock.ts'
import { fillLibrary } from '../test/support/fixtures.ts'

const COMICS = 10_000
const dir = mkdtempSync(join(tmpdir(), 'kitsumy-bench-library-'))
const library = new Library(pathsFor(dir), systemClock)

const t0 = performance.now()
const ids = fillLibrary(library, COMICS, 40)
console.log(`filled ${COMICS} comics × 40 panels in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

function median(fn: () => void, runs: number): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const s = performance.now()
    fn()
    times.push(performance.now() - s)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

const listMs = median(() => library.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 100 }), 30)
const searchMs = median(() => library.comics.list({ query: 'fox', sort: 'title', trashed: false, offset: 0, limit: 100 }), 30)
let k = 0
const openMs = median(() => library.comics.get(ids[(k++ * 7919) % ids.length]), 50)
console.log(`list first 100 by updated: ${listMs.toFixed(2)} ms; search "fox" by title: ${searchMs.toFixed(2)} ms; open one comic: ${openMs.toFixed(2)} ms`)
await library.close()
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify({ bench: 'library', comics: COMICS, list_ms: +listMs.toFixed(2), search_ms: +searchMs.toFixed(2), open_ms: +openMs.toFixed(2) }))
