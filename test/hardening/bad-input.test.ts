import { existsSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import fc from 'fast-check'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createDispatch, type Dispatch } from '../../src/api/dispatch.ts'
import type { RunningServer } from '../../src/api/http-server.ts'
import { api, ErrorCode, type CommandName, type Comic } from '../../src/contract/index.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { makeStudio, serveStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'
import { librarySnapshot } from './helpers.ts'

// Random and hostile input at every command of the contract, through the real dispatch: each call gets an
// envelope (never a throw), never an 'internal' error, and a refused call leaves the library byte for byte as it was.

const COMMANDS = Object.keys(api) as CommandName[]
const RUNS = Number(process.env.FUZZ_RUNS ?? 40)

const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a\uD83D', '\uDE00b']
const HOSTILE = [
  '', ' ', '\u0000', '\u0000abc', '\r\n', '\t\v\f',
  ...LONE_SURROGATES,
  '\u202E', '\u202Eevil.pdf\u202Dtxt', '\u200F\u200E', '\u200D', '\u200B\u200C\uFEFF', '👨‍👩‍👧‍👦', '🏳️‍🌈', 'e\u0301\u0301\u0301', '\u{10FFFF}', 'Лисиця-детектив', 'ليس',
  "'; DROP TABLE comics; --", "1' OR '1'='1", '" OR ""="', '%', '_', '%_%', '\\', "\\'", 'NULL', '*', '`rm -rf /`', '$(reboot)',
  '../../etc/passwd', '..\\..\\windows\\system32', '/etc/passwd', 'C:\\Windows', '....//....//', '%2e%2e%2f', '..%c0%af', 'CON', 'NUL:', '/dev/zero', 'file:///etc/passwd',
  'javascript:alert(1)', '<script>alert(1)</script>', '<svg onload=alert(1)>', '{{7*7}}', '${process.exit(1)}',
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString',
  'a'.repeat(10_000), 'x'.repeat(1_000_001), '🦊'.repeat(5_000),
]

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), loneSurrogate, fc.constantFrom('\u202E', '\u200D', '\u0000', "'", '%', '/', '..')), maxLength: 30 }),
)
const hostileNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 0, 1, 0.5, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, Number.MIN_VALUE, 1e308, -1e308),
  fc.integer(),
  fc.double(),
)
const scalar = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.constant(undefined))
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 8 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, scalar, { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
)

// The keys a command's input object knows, so fuzzed objects reach the handler's fields, not only the type check.
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | null {
  const def = (schema as unknown as { def?: { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> } }).def
  if (!def) return null
  if (def.type === 'object') return def.shape ?? null
  if (def.innerType) return shapeOf(def.innerType)
  return null
}

let home: string
let studio: Studio
let dispatch: Dispatch
let comic: Comic
// A second comic, so ids of one can be sent where the other's are expected.
let other: Comic
let valid: Record<CommandName, unknown>

beforeAll(async () => {
  home = tempDir('kitsumy-fuzz-')
  // A real comic, written and drawn, for the ids; then a studio that does not run jobs, so nothing changes
  // the library but the calls under test.
  const maker = makeStudio(home)
  const { comicId } = maker.create({ idea: 'A fox detective in rainy Kyiv', styleId: 'classic-noir', pages: 2, readingOrder: 'ltr', urgent: false, seed: 3, storyEngine: 'offline' })
  const second = maker.create({ idea: 'Two sisters open a bakery on the Moon', styleId: 'chibi', pages: 1, readingOrder: 'rtl', urgent: false, seed: 4, storyEngine: 'offline' })
  await new Promise<void>((done) => {
    let finished = 0
    maker.events.on((e) => { if (e.type === 'generation_complete' && ++finished === 2) done() })
    maker.start()
  })
  await maker.close()
  studio = makeStudio(home)
  dispatch = createDispatch(studio.handlers('http'))
  comic = studio.comic(comicId)
  other = studio.comic(second.comicId)
  const panel = comic.pages[0].panels[0]
  const character = comic.characters[0]
  valid = {
    'app.info': {},
    'styles.list': {},
    'comics.list': { query: 'fox' },
    'comics.get': { comicId },
    'comics.create': { idea: 'A whale learns to paint', styleId: 'shojo', pages: 1 },
    'comics.cancel': { comicId },
    'comics.retryFailed': { comicId, offline: true },
    'comics.trash': { comicId },
    'comics.restore': { comicId },
    'jobs.status': { jobId: (studio.library.db.prepare("SELECT id FROM queue_jobs WHERE kind = 'comic'").get() as { id: string }).id },
    'comics.duplicate': { comicId },
    'comics.estimate': { styleId: 'shonen', pages: 3 },
    'comics.update': { comicId, patch: { title: 'The fox of Podil' } },
    'comics.reorderPages': { comicId, pageIds: [...comic.pages].reverse().map((p) => p.id) },
    'panels.update': { comicId, panelId: panel.id, patch: { scene: 'a rooftop at dawn' } },
    'panels.regenerate': { comicId, panelId: panel.id, seed: 5 },
    'panels.versions': { comicId, panelId: panel.id },
    'panels.pickVersion': { comicId, panelId: panel.id, image: panel.image },
    'pages.update': { comicId, pageId: comic.pages[0].id, patch: { layout: comic.pages[0].layout } },
    'panels.add': { comicId, pageId: 'fuzz-new-page', index: 1, panel: { id: 'fuzz-new-panel', shot: 'medium', scene: 'a tram stop at night', characterIds: [character.id], seed: 7, image: null, bubbles: [] } },
    'panels.delete': { comicId, panelId: comic.pages[0].panels[1].id },
    'pages.add': { comicId, index: 1, page: { id: 'fuzz-new-page', panels: [{ id: 'fuzz-new-panel-2', shot: 'wide', scene: 'the river', characterIds: [], seed: 8, image: null, bubbles: [] }] } },
    'pages.delete': { comicId, pageId: comic.pages[1].id },
    'layouts.list': {},
    'characters.update': { comicId, characterId: character.id, patch: { role: 'the detective' } },
    'characters.add': { comicId, index: 1, character: { id: 'fuzz-new-character', name: 'Zirka', role: 'a lamplighter', look: character.look, seed: 12, referenceImage: null } },
    'characters.delete': { comicId, characterId: 'fuzz-new-character' },
    'images.upload': { mime: 'image/png', base64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' },
    'costs.summary': {},
    'costs.comic': { comicId },
    'pages.svg': { comicId, pageIndex: 0 },
    'pods.list': {},
    'pods.stop': {},
    'comics.export': { comicId, format: 'cbz', dpi: 72 },
    'settings.get': {},
    'settings.update': { patch: { language: 'uk' } },
    'secrets.set': { name: 'openai', value: 'sk-test-fuzz-0123456789' },
    'secrets.clear': { name: 'openai' },
  }
})

afterAll(async () => {
  await studio?.close()
})

function idsOf(c: Comic): string[] {
  const panels = c.pages.flatMap((p) => p.panels)
  return [c.id, ...c.pages.map((p) => p.id), ...panels.map((p) => p.id), ...panels.flatMap((p) => p.bubbles.map((b) => b.id)), ...c.characters.map((x) => x.id), ...panels.flatMap((p) => (p.image ? [p.image] : []))]
}

const ids = () => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...idsOf(comic)) },
  { weight: 1, arbitrary: fc.constantFrom(...idsOf(other)) },
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.uuid() },
)

const unit = fc.double({ min: 0, max: 1, noNaN: true })
// Well-formed bubbles, so the editor's own checks are reached; their ids may belong to other bubbles anywhere.
const bubbleIds = () => [comic, other].flatMap((c) => c.pages.flatMap((p) => p.panels.flatMap((x) => x.bubbles.map((b) => b.id))))
const bubbles = () => fc.array(fc.record({
  id: fc.oneof(fc.constantFrom(...bubbleIds()), ids(), fc.constantFrom('b1', 'b2')),
  kind: fc.constantFrom('speech', 'thought', 'shout', 'caption', 'sfx'),
  text: hostileString,
  speakerId: fc.oneof(fc.constant(null), ids()),
  x: unit, y: unit, w: fc.double({ min: 0.02, max: 1, noNaN: true }), h: fc.double({ min: 0.02, max: 1, noNaN: true }), tailX: unit, tailY: unit,
}), { maxLength: 3 })

// Values for a field: its own valid value, a real id, or something hostile.
function fieldValue(command: CommandName, key: string): fc.Arbitrary<unknown> {
  const base = (valid[command] as Record<string, unknown>)[key]
  const options: fc.Arbitrary<unknown>[] = [hostileValue, ids()]
  if (base !== undefined) options.push(fc.constant(base))
  if (key === 'patch') {
    const patchShape = shapeOf((shapeOf(api[command].input) ?? {})[key])
    if (patchShape) {
      const field = (k: string) => (k === 'bubbles' ? fc.oneof(bubbles(), hostileValue) : fc.oneof(hostileValue, ids(), fc.array(ids(), { maxLength: 4 })))
      options.push(fc.record(Object.fromEntries(Object.keys(patchShape).map((k) => [k, field(k)])), { requiredKeys: [] }))
    }
  }
  return fc.oneof(...options)
}

function inputsFor(command: CommandName): fc.Arbitrary<unknown> {
  const shape = shapeOf(api[command].input) ?? {}
  const keys = Object.keys(shape)
  const fields = fc.record(Object.fromEntries(keys.map((k) => [k, fieldValue(command, k)])), { requiredKeys: [] })
  const extra = fc.tuple(fields, hostileString, hostileValue).map(([f, k, v]) => ({ ...(f as object), [k]: v }))
  return fc.oneof(
    { weight: 4, arbitrary: fields },
    { weight: 1, arbitrary: extra },
    { weight: 1, arbitrary: hostileValue },
  )
}

const Envelope = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }).strict(),
  z.object({ ok: z.literal(false), error: z.object({ code: ErrorCode, message: z.string().min(5).max(2_000), retryable: z.boolean() }).strict() }).strict(),
])

// One call: an envelope, never 'internal', and a refusal leaves no trace in the library.
async function probe(command: string, input: unknown): Promise<void> {
  const before = librarySnapshot(studio)
  let result: unknown
  try {
    result = await dispatch(command, input)
  } catch (err) {
    throw new Error(`${command} threw instead of answering: ${String(err)}`)
  }
  const envelope = Envelope.safeParse(result)
  if (!envelope.success) throw new Error(`${command} answered something that is not an envelope: ${JSON.stringify(result).slice(0, 300)}`)
  const answer = envelope.data
  if (!answer.ok) {
    if (answer.error.code === 'internal') throw new Error(`${command} failed inside the engine for ${JSON.stringify(input)?.slice(0, 400)}`)
    expect(answer.error.message).not.toMatch(/\n\s+at |node_modules|SqliteError|TypeError|\.ts:\d+/)
    const after = librarySnapshot(studio)
    if (after.digest !== before.digest || after.images !== before.images) {
      throw new Error(`${command} was refused (${answer.error.code}) yet changed the library: ${JSON.stringify(before.counts)} → ${JSON.stringify(after.counts)}`)
    }
  }
}

describe('every command, fuzzed through the real dispatch', () => {
  it('answers the valid input of every command with ok', async () => {
    for (const command of COMMANDS) {
      const result = await dispatch(command, valid[command])
      expect(result, command).toMatchObject({ ok: true })
    }
  })

  for (const command of COMMANDS) {
    it(`${command}: random and hostile input gets an envelope, and a refusal changes nothing`, async () => {
      await fc.assert(fc.asyncProperty(inputsFor(command), (input) => probe(command, input)), { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261128) + COMMANDS.indexOf(command) })
    })
  }

  it('panels.update with well-formed bubbles: ids taken elsewhere in the library are refused, not a crash', async () => {
    const panelRef = fc.constantFrom(...[comic, other].flatMap((c) => c.pages.flatMap((p) => p.panels.map((x) => ({ comicId: c.id, panelId: x.id })))))
    await fc.assert(fc.asyncProperty(panelRef, bubbles(), (ref, list) => probe('panels.update', { ...ref, patch: { bubbles: list } })), { numRuns: RUNS, seed: 11 })
  })

  it('unknown and hostile command names are refused without touching anything', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'comics.get ', 'COMICS.GET', 'comics.get\u0000')), hostileValue, async (name, input) => {
      fc.pre(!Object.hasOwn(api, name))
      const result = await dispatch(name, input)
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_command' } })
      expect((result as { error: { message: string } }).error.message.length).toBeLessThan(200)
    }), { numRuns: 100 })
  })

  it('export file names come from the title, never from a path in it', async () => {
    const titles = ['../../../../tmp/evil', '..\\..\\evil', '/etc/passwd', '\u202Egpj.exe', '..', 'Лисиця: «дощ» & co']
    const exportsDir = resolve(home, 'exports')
    // One page is enough to name the files.
    const onePage: Comic = { ...comic, id: 'export-names', pages: comic.pages.slice(0, 1).map((p) => ({ ...p, id: 'export-names-page', panels: [] })), characters: [] }
    studio.library.comics.insert(onePage)
    for (const [i, title] of titles.entries()) {
      studio.library.comics.replace({ ...onePage, title })
      for (const format of [i % 2 ? 'cbz' : 'png'] as const) {
        const result = await dispatch('comics.export', { comicId: onePage.id, format, dpi: 72 })
        expect(result.ok, `${format} ${JSON.stringify(title)}`).toBe(true)
        for (const file of (result as { data: { files: string[] } }).data.files) {
          const full = resolve(file)
          expect(full.startsWith(exportsDir + sep), `${title} → ${full}`).toBe(true)
          expect(existsSync(full)).toBe(true)
        }
      }
    }
    expect(existsSync(join(home, '..', 'evil'))).toBe(false)
    studio.library.comics.delete(onePage.id)
  })
})

describe('a sample of the same over HTTP', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await serveStudio(studio)
  })
  afterAll(async () => {
    await server?.close()
  })

  it('raw hostile bodies get a JSON envelope with a 4xx status, never a 5xx, and the server stays up', async () => {
    const body = fc.oneof(
      hostileString,
      hostileValue.map((v) => JSON.stringify(v) ?? 'undefined'),
      fc.constantFrom('{"comicId":', '[', 'null', '{"__proto__":{"x":1}}', '\u0000', '{"a":1}{"b":2}', '{'.repeat(5_000)),
    )
    await fc.assert(fc.asyncProperty(fc.constantFrom(...COMMANDS), body, async (command, text) => {
      const before = librarySnapshot(studio)
      const res = await request(`${server.url}/api/${command}`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: text })
      const reply = JSON.parse(await res.body.text())
      expect(Envelope.safeParse(reply).success).toBe(true)
      expect(res.statusCode, `${command} ${text.slice(0, 80)}`).toBeLessThan(500)
      if (!reply.ok) {
        expect(reply.error.code).not.toBe('internal')
        expect(librarySnapshot(studio).digest).toBe(before.digest)
      }
    }), { numRuns: 150, seed: 7 })
    const res = await request(`${server.url}/api/comics.get`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ comicId: comic.id }) })
    expect(res.statusCode).toBe(200)
    await res.body.dump()
  })
})
