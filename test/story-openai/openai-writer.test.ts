import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Script, type StoryStep } from '../../src/contract/index.ts'
import { MemoryStepCache } from '../../src/story/step-cache.ts'
import { OpenAIStoryWriter, type OpenAIWriterOptions, type StoryUsage } from '../../src/story/openai-writer.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.ts'
import { API_KEY, InstantClock, brief, promptText, signal } from './helpers.ts'

let fake: FakeOpenAI

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: API_KEY })
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

function writer(overrides: Partial<OpenAIWriterOptions> = {}): OpenAIStoryWriter {
  return new OpenAIStoryWriter({ apiKey: API_KEY, model: 'gpt-4o-mini', baseURL: `${fake.url}/v1`, clock: new InstantClock(), ...overrides })
}

const CYRILLIC = /[\u0400-\u04FF]/

describe('OpenAIStoryWriter against the fake OpenAI server', () => {
  it('writes a script in four steps, each its own structured completion', async () => {
    const steps: [StoryStep, string][] = []
    const script = await writer().write(brief({ pages: 3 }), { signal: signal(), onStep: (step, status) => steps.push([step, status]) })

    expect(Script.parse(script)).toEqual(script)
    expect(script.pages).toHaveLength(3)
    expect(steps).toEqual([
      ['plot', 'started'], ['plot', 'done'], ['characters', 'started'], ['characters', 'done'],
      ['pages', 'started'], ['pages', 'done'], ['dialogue', 'started'], ['dialogue', 'done'],
    ])
    expect(fake.requests.map((r) => r.schemaName)).toEqual(['kitsumy_plot', 'kitsumy_characters', 'kitsumy_pages', 'kitsumy_dialogue'])
    for (const request of fake.requests) {
      expect(request.authorization).toBe(`Bearer ${API_KEY}`)
      expect(request.body?.model).toBe('gpt-4o-mini')
      expect(request.body?.seed).toBe(42)
      expect(request.body?.response_format?.json_schema?.strict).toBe(true)
      expect(request.body).not.toHaveProperty('temperature')
    }
    // Every panel speaks only through characters from the bible, and every panel got its lettering.
    const keys = new Set(script.characters.map((c) => c.key))
    for (const panel of script.pages.flatMap((p) => p.panels)) {
      for (const key of panel.characters) expect(keys.has(key)).toBe(true)
      for (const line of panel.lines) if (line.speaker !== null) expect(keys.has(line.speaker)).toBe(true)
    }
    // Later steps carry the earlier ones as context.
    expect(promptText(fake.requests[1])).toContain(JSON.stringify(script.title))
    expect(promptText(fake.requests[3])).toContain(script.characters[0].name)
  })

  it('writes a 24-page comic in chunks of four pages, each chunk seeing every page before it', async () => {
    const script = await writer().write(brief({ pages: 24 }), { signal: signal() })

    expect(Script.parse(script).pages).toHaveLength(24)
    const pageRequests = fake.requests.filter((r) => r.schemaName === 'kitsumy_pages')
    const dialogueRequests = fake.requests.filter((r) => r.schemaName === 'kitsumy_dialogue')
    expect(pageRequests).toHaveLength(6)
    expect(dialogueRequests).toHaveLength(6)
    expect(fake.requests).toHaveLength(14)

    pageRequests.forEach((request, chunk) => {
      const pagesProperty = (request.body?.response_format?.json_schema?.schema as { properties: { pages: { minItems: number; maxItems: number } } }).properties.pages
      expect([pagesProperty.minItems, pagesProperty.maxItems]).toEqual([4, 4])
      const text = promptText(request)
      expect(text).toContain(`pages ${chunk * 4 + 1}–${chunk * 4 + 4} of 24`)
      const earlierPages = [...text.matchAll(/\{"page":(\d+),/g)].map((m) => Number(m[1]))
      expect(earlierPages).toEqual(Array.from({ length: chunk * 4 }, (_, i) => i + 1))
    })

    // The last chunk's prompt holds the outline of the pages before it, exactly as they ended up.
    const lastPages = promptText(pageRequests[5])
    for (const n of [1, 12, 20]) {
      const page = script.pages[n - 1]
      expect(lastPages).toContain(JSON.stringify({ page: n, panels: page.panels.map(({ shot, scene, characters }) => ({ shot, scene, characters })) }))
    }
    const lastDialogue = promptText(dialogueRequests[5])
    const p20 = script.pages[19].panels[0]
    expect(lastDialogue).toContain(JSON.stringify({ ref: 'p20-1', lines: p20.lines }))
    const soFar = lastDialogue.slice(lastDialogue.indexOf('<lettering_so_far>'), lastDialogue.indexOf('</lettering_so_far>'))
    const earlierPanels = script.pages.slice(0, 20).reduce((n, p) => n + p.panels.length, 0)
    expect([...soFar.matchAll(/\{"ref":"p(\d+)-/g)].length).toBe(earlierPanels)
    expect(soFar).toContain('{"ref":"p1-1",')
    expect(lastDialogue.slice(lastDialogue.indexOf('<panels>'))).toContain('{"ref":"p21-1",')
  })

  it('asks for Ukrainian text and English image descriptions when the brief is in Ukrainian', async () => {
    const script = await writer().write(brief({ language: 'uk', pages: 2 }), { signal: signal() })

    for (const request of fake.requests) {
      const system = request.body?.messages.find((m) => m.role === 'system')?.content ?? ''
      expect(system).toMatch(/title, summary, story arc, character names and roles, dialogue and captions in Ukrainian/)
      expect(system).toMatch(/descriptions .* in English/)
    }
    expect(promptText(fake.requests.find((r) => r.schemaName === 'kitsumy_dialogue')!)).toContain('in Ukrainian')
    expect(script.title).toMatch(CYRILLIC)
    const lines = script.pages.flatMap((p) => p.panels.flatMap((panel) => panel.lines))
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line.text).toMatch(CYRILLIC)
    for (const panel of script.pages.flatMap((p) => p.panels)) expect(panel.scene).not.toMatch(CYRILLIC)
  })

  it('asks for English when the brief is in English', async () => {
    const script = await writer().write(brief({ language: 'en', pages: 1 }), { signal: signal() })
    const system = fake.requests[0].body?.messages[0].content ?? ''
    expect(system).toContain('in English')
    expect(system).not.toContain('Ukrainian')
    expect(script.title).not.toMatch(CYRILLIC)
  })

  it('answers a second identical write from the step cache without a single request', async () => {
    const cache = new MemoryStepCache()
    const usage: StoryUsage[] = []
    const first = await writer({ cache, onUsage: (u) => usage.push(u) }).write(brief({ pages: 6 }), { signal: signal() })
    const calls = fake.requests.length
    expect(calls).toBe(6)
    expect(cache.size).toBe(6)

    const steps: StoryStep[] = []
    const second = await writer({ cache, onUsage: (u) => usage.push(u) })
      .write(brief({ pages: 6 }), { signal: signal(), onStep: (step, status) => { if (status === 'done') steps.push(step) } })
    expect(fake.requests.length).toBe(calls)
    expect(second).toEqual(first)
    expect(usage).toHaveLength(6)
    expect(steps).toEqual(['plot', 'characters', 'pages', 'dialogue'])

    // Another seed is another request.
    await writer({ cache }).write(brief({ pages: 6, seed: 7 }), { signal: signal() })
    expect(fake.requests.length).toBe(calls + 6)
  })

  it('reports the tokens of every call it makes', async () => {
    const usage: StoryUsage[] = []
    await writer({ model: 'gpt-4.1-mini', onUsage: (u) => usage.push(u) }).write(brief({ pages: 5 }), { signal: signal() })

    expect(usage.map((u) => u.step)).toEqual(['plot', 'characters', 'pages', 'pages', 'dialogue', 'dialogue'])
    usage.forEach((u, i) => {
      expect(u.model).toBe('gpt-4.1-mini')
      expect(u.promptTokens).toBe(fake.requests[i].usage?.prompt_tokens)
      expect(u.completionTokens).toBe(fake.requests[i].usage?.completion_tokens)
      expect(u.promptTokens).toBeGreaterThan(0)
    })
  })

  it('sends the temperature and token limit only when they are set', async () => {
    await writer({ temperature: 0.7, maxTokens: 4000 }).write(brief({ pages: 1 }), { signal: signal() })
    expect(fake.requests[0].body).toMatchObject({ temperature: 0.7, max_completion_tokens: 4000 })
  })
})

describe('OpenAIStoryWriter settings and brief', () => {
  it('refuses settings that are not valid, naming the field', () => {
    expect(() => new OpenAIStoryWriter({ apiKey: API_KEY, model: 'gpt-4o', baseURL: 'ftp://example.com' }))
      .toThrow(expect.objectContaining({ code: 'bad_input', message: expect.stringContaining('baseURL') }))
  })

  it('asks for a key before calling OpenAI without one', async () => {
    const noKey = new OpenAIStoryWriter({ apiKey: '', model: 'gpt-4o' })
    await expect(noKey.write(brief(), { signal: signal() })).rejects.toMatchObject({ code: 'auth', retryable: false })
  })

  it('refuses a brief outside 1–24 pages', async () => {
    await expect(writer().write(brief({ pages: 25 }), { signal: signal() })).rejects.toMatchObject({ code: 'bad_input' })
    expect(fake.requests).toHaveLength(0)
  })
})
