import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { Comic, StudioEvent } from '../../src/contract/index.ts'
import { EnvSecrets } from '../../src/platform/secrets.ts'
import { systemClock } from '../../src/platform/clock.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { startFakeOpenAI } from '../fakes/openai-server.ts'
import { FakeReplicate } from '../fakes/replicate-server.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { makeStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'
import { clockAhead, startFaultProxy, tableNames } from './helpers.ts'

// The real `kitsumy` command is SIGKILLed in the middle of its work, then the library is opened again the
// way the next start would (with the dead process's leases run out). Nothing done may be lost, nothing
// delivered may be paid again, and no half-written export may be left where the user looks for it.

const OPENAI_KEY = 'sk-proj-HARDENING-crash-0123456789abcdef'
const REPLICATE_KEY = 'r8_HARDENING_crash_0123456789abcdef'
const NO_KEYS = { OPENAI_API_KEY: '', RUNPOD_API_KEY: '', REPLICATE_API_TOKEN: '' }
// Past the queue's 30 s lease: what the killed process held is free again.
const AFTER_LEASES = 60_000

const cleanups: Array<() => Promise<unknown> | unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

interface Cli { child: ChildProcess; output(): string; exit: Promise<string | number | null> }

function cli(home: string, args: string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, ['bin/kitsumy.js', ...args], { env: { ...process.env, ...NO_KEYS, KITSUMY_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (c: Buffer) => { output += c.toString() })
  child.stderr!.on('data', (c: Buffer) => { output += c.toString() })
  const exit = new Promise<string | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)))
  cleanups.push(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  return { child, output: () => output, exit }
}

// Polls the child's library read-only (WAL lets a reader look on) until `ready` holds.
async function waitForLibrary<T>(home: string, cli: Cli, ready: (db: Database.Database) => T | null): Promise<T> {
  const file = join(home, 'library.sqlite')
  const deadline = Date.now() + 30_000
  for (;;) {
    if (cli.child.exitCode !== null) throw new Error(`kitsumy exited early: ${cli.output()}`)
    if (existsSync(file)) {
      const db = new Database(file, { readonly: true, fileMustExist: true })
      try {
        const value = tableNames(db).includes('queue_jobs') ? ready(db) : null
        if (value !== null) return value
      } finally {
        db.close()
      }
    }
    if (Date.now() > deadline) throw new Error(`timed out; kitsumy said: ${cli.output()}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function kill(c: Cli): Promise<void> {
  c.child.kill('SIGKILL')
  expect(await c.exit).toBe('SIGKILL')
}

function reopen(home: string, env: Record<string, string>): Studio {
  const studio = makeStudio(home, { clock: clockAhead(AFTER_LEASES), secrets: new EnvSecrets(env) })
  cleanups.push(() => studio.close())
  expect(studio.library.db.pragma('integrity_check', { simple: true })).toBe('ok')
  return studio
}

function completion(studio: Studio, comicId: string): Promise<Extract<StudioEvent, { type: 'generation_complete' }>> {
  return new Promise((resolve) => {
    const off = studio.events.on((e) => {
      if (e.type === 'generation_complete' && e.comicId === comicId) {
        off()
        resolve(e)
      }
    })
  })
}

const panels = (c: Comic) => c.pages.flatMap((p) => p.panels)

function charges(studio: Studio, comicId: string, kind: string): { panel_id: string | null; idem_key: string }[] {
  return studio.library.db.prepare('SELECT panel_id, idem_key FROM cost_charges WHERE comic_id = ? AND kind = ?').all(comicId, kind) as { panel_id: string | null; idem_key: string }[]
}

// Every panel job ran to completion exactly once in the queue's books, and no charge is recorded twice.
function expectBooksBalanced(studio: Studio, comic: Comic): void {
  const db = studio.library.db
  const jobs = db.prepare("SELECT state, count(*) AS n FROM queue_jobs WHERE kind = 'panel' AND comic_id = ? GROUP BY state").all(comic.id)
  expect(jobs).toEqual([{ state: 'completed', n: panels(comic).length }])
  const keys = db.prepare("SELECT count(*) AS n, count(DISTINCT key) AS keys FROM queue_jobs WHERE kind = 'panel' AND comic_id = ?").get(comic.id)
  expect(keys).toEqual({ n: panels(comic).length, keys: panels(comic).length })
  const images = charges(studio, comic.id, 'image')
  expect(new Set(images.map((c) => c.panel_id)).size).toBe(images.length)
}

describe('kitsumy killed during generation', () => {
  it('killed while the LLM writes the story: the restart finishes it without asking again for the steps already written', async () => {
    const home = tempDir('kitsumy-crash-story-')
    const openai = await startFakeOpenAI({ apiKey: OPENAI_KEY })
    const proxy = await startFaultProxy(openai.url)
    cleanups.push(() => openai.close(), () => proxy.close())
    const setup = makeStudio(home)
    setup.settings.update({ openaiBaseUrl: `${proxy.url}/v1` })
    await setup.close()

    // Plot and characters are answered; the page breakdown never is, so the process is caught mid-story.
    let chats = 0
    proxy.hold = (method) => method === 'POST' && ++chats > 2
    const run = cli(home, ['generate', 'A courier pigeon carries a secret across the Alps', '--pages', '2', '--seed', '4', '--engine', 'openai', '--json'], { OPENAI_API_KEY: OPENAI_KEY })
    await waitForLibrary(home, run, () => (proxy.held > 0 ? true : null))
    await kill(run)
    expect(openai.requests.map((r) => r.schemaName)).toEqual(['kitsumy_plot', 'kitsumy_characters'])

    proxy.hold = null
    const studio = reopen(home, { OPENAI_API_KEY: OPENAI_KEY })
    const [{ id }] = studio.library.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 5 }).items
    expect(studio.comic(id).status).toBe('writing')
    const done = completion(studio, id)
    studio.start()
    expect(await done).toMatchObject({ status: 'done', failed: 0 })
    const comic = studio.comic(id)
    expect(panels(comic).every((p) => p.image)).toBe(true)
    // The two steps written before the crash came from the library's step cache, not from OpenAI again.
    const asked = openai.requests.map((r) => r.schemaName)
    expect(asked.filter((s) => s === 'kitsumy_plot')).toHaveLength(1)
    expect(asked.filter((s) => s === 'kitsumy_characters')).toHaveLength(1)
    expect(asked.slice(2)).toEqual(expect.arrayContaining(['kitsumy_pages', 'kitsumy_dialogue']))
    // Each answer OpenAI gave, before the kill and after, is in the ledger once.
    const calls = new Set(charges(studio, id, 'llm').map((c) => c.idem_key.replace(/:(in|out)$/, '')))
    expect(calls.size).toBe(openai.requests.filter((r) => r.status === 200).length)
    expectBooksBalanced(studio, comic)
  })

  it('killed while panels are drawn: the restart re-leases the rest, keeps what was drawn, pays for nothing twice', async () => {
    const home = tempDir('kitsumy-crash-gen-')
    const log = new GenerationLog()
    const replicate = await new FakeReplicate({ clock: systemClock, log, token: REPLICATE_KEY, predictMs: 0 }).start()
    const proxy = await startFaultProxy(replicate.url)
    cleanups.push(() => replicate.close(), () => proxy.close())
    const setup = makeStudio(home)
    setup.library.settings.put('cloud.overrides', { urls: { replicate: `${proxy.url}/v1` }, poll: { jobSeconds: 0.05 } })
    await setup.close()

    // Three pictures are delivered; every later prediction is left hanging, so the kill finds panels in flight.
    let predictions = 0
    proxy.hold = (method, path) => method === 'POST' && path.includes('/predictions') && ++predictions > 3
    const run = cli(home, ['generate', 'A lighthouse keeper and a storm that talks', '--pages', '2', '--seed', '11', '--json'], { REPLICATE_API_TOKEN: REPLICATE_KEY })
    const before = await waitForLibrary(home, run, (db) => {
      const rows = db.prepare('SELECT id, image, status FROM panels ORDER BY position').all() as { id: string; image: string | null; status: string }[]
      return rows.filter((r) => r.status === 'done').length === 3 && proxy.held > 0 ? rows : null
    })
    await kill(run)
    expect(log.done).toHaveLength(3)
    expect(before.some((r) => r.status === 'generating')).toBe(true)

    proxy.hold = null
    const studio = reopen(home, { REPLICATE_API_TOKEN: REPLICATE_KEY })
    const [{ id }] = studio.library.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 5 }).items
    const done = completion(studio, id)
    studio.start()
    expect(await done).toMatchObject({ status: 'done', failed: 0 })
    const comic = studio.comic(id)
    expect(panels(comic).every((p) => p.image && p.status === 'done')).toBe(true)
    // What was drawn before the crash is still there, untouched.
    for (const row of before.filter((r) => r.status === 'done')) expect(panels(comic).find((p) => p.id === row.id)?.image).toBe(row.image)
    // One prediction per panel in all: the three delivered before the kill were not asked for again.
    expect(log.done).toHaveLength(panels(comic).length)
    for (const [seed, n] of log.countBySeed()) expect(n, `seed ${seed} drawn ${n} times`).toBe(1)
    expect(replicate.predictions.size).toBe(panels(comic).length)
    expectBooksBalanced(studio, comic)
    expect(charges(studio, id, 'image')).toHaveLength(panels(comic).length)
  })
})

describe('kitsumy killed during export', () => {
  for (const format of ['pdf', 'cbz'] as const) {
    it(`${format}: a kill mid-export leaves the earlier export whole and no half file under the real name; the next export completes`, async () => {
      const home = tempDir('kitsumy-crash-export-')
      const studio = makeStudio(home)
      const { comicId } = studio.create({ idea: 'A tram that runs on moonlight', styleId: 'ligne-claire', pages: 4, readingOrder: 'ltr', urgent: false, seed: 8, storyEngine: 'offline' })
      const done = completion(studio, comicId)
      studio.start()
      await done
      const out = join(home, 'out', `comic.${format}`)
      await studio.export(comicId, format, 'us-comic', 72, out)
      const first = readFileSync(out)
      await studio.close()

      const run = cli(home, ['export', comicId, '--format', format, '--dpi', '72', '--trim', 'a4', '--out', out])
      await waitForLibrary(home, run, () => (/\b1\/4\b/.test(run.output()) ? true : null))
      await kill(run)
      // The earlier export is still there in full; what was being written is only ever the .part beside it.
      expect(readFileSync(out).equals(first)).toBe(true)
      expect(readdirSync(join(home, 'out')).filter((f) => f !== `comic.${format}` && f !== `comic.${format}.part`)).toEqual([])

      const again = reopen(home, {})
      expect(again.comic(comicId).status).toBe('done')
      const result = await again.export(comicId, format, 'a4', 72, out)
      expect(result.files).toEqual([out])
      expect(readdirSync(join(home, 'out'))).toEqual([`comic.${format}`])
      expect(readFileSync(out).equals(first)).toBe(false)
      if (format === 'pdf') expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(/Pages:\s+4/)
      else expect(execFileSync('unzip', ['-t', out], { encoding: 'utf8' })).toMatch(/No errors detected/)
    })
  }
})
