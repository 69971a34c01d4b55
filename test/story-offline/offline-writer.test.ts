import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { KitsumyError, Script, type Language, type StoryStep } from '../../src/contract/index.ts'
import { OfflineWriter } from '../../src/story/offline-writer.ts'
import { parseIdea } from '../../src/story/offline-idea.ts'
import type { StoryBrief } from '../../src/story/writer.ts'

const writer = new OfflineWriter()
const CYRILLIC = /[А-Яа-яІіЇїЄєҐґ]/
const LATIN = /[A-Za-z]/

function brief(idea: string, over: Partial<StoryBrief> = {}): StoryBrief {
  return { idea, styleId: 'classic-noir', pages: 8, language: 'en', seed: 7, ...over }
}

function write(b: StoryBrief): Promise<Script> {
  return writer.write(b, { signal: new AbortController().signal })
}

function spoken(script: Script): string[] {
  return script.pages.flatMap((p) => p.panels.flatMap((pn) => pn.lines.filter((l) => l.kind !== 'sfx').map((l) => l.text)))
}

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(KitsumyError)
    return (e as KitsumyError).code
  }
  return null
}

// Structural rules every offline script keeps, whatever the idea.
function expectWellFormed(script: Script, pages: number): void {
  expect(Script.parse(script)).toEqual(script)
  expect(script.pages).toHaveLength(pages)
  expect(script.characters.length).toBeGreaterThanOrEqual(2)
  expect(script.characters.length).toBeLessThanOrEqual(4)
  const keys = new Set(script.characters.map((c) => c.key))
  expect(keys.size).toBe(script.characters.length)
  for (const page of script.pages) {
    expect(page.layout).toBeNull()
    expect(page.panels.length).toBeGreaterThanOrEqual(3)
    expect(page.panels.length).toBeLessThanOrEqual(6)
    for (const panel of page.panels) {
      expect(panel.scene).not.toMatch(/,\s*$|\.\s*$/)
      for (const k of panel.characters) expect(keys.has(k)).toBe(true)
      for (const line of panel.lines) {
        expect(line.text).not.toMatch(/[{}]|undefined|null/)
        if (line.speaker !== null) expect(panel.characters).toContain(line.speaker)
        if (line.kind === 'caption' || line.kind === 'sfx') expect(line.speaker).toBeNull()
      }
    }
  }
}

describe('the offline writer', () => {
  it('writes "A fox detective in rainy Kyiv" as 8 pages of 3–6 panels about a fox in the rain in Kyiv', async () => {
    const script = await write(brief('A fox detective in rainy Kyiv'))
    expectWellFormed(script, 8)
    const fox = script.characters.find((c) => /fox/.test(c.look.face))
    expect(fox, 'a fox character').toBeDefined()
    expect(fox?.role).toMatch(/detective/)
    expect(fox?.look.outfit).toMatch(/trench coat/)
    for (const c of script.characters) {
      expect(c.look.face.length).toBeGreaterThan(10)
      expect(c.look.hair.length).toBeGreaterThan(5)
      expect(c.look.build.length).toBeGreaterThan(5)
      expect(c.look.outfit.length).toBeGreaterThan(5)
      expect(c.look.colors.length).toBeGreaterThanOrEqual(3)
    }
    const panels = script.pages.flatMap((p) => p.panels)
    expect(panels.every((p) => p.scene.includes('Kyiv'))).toBe(true)
    expect(panels.filter((p) => /rain/.test(p.scene)).length).toBeGreaterThan(panels.length / 2)
    // The fox is in most of the story.
    expect(panels.filter((p) => fox && p.characters.includes(fox.key)).length).toBeGreaterThan(panels.length / 2)
    expect(script.title.length).toBeGreaterThan(3)
    expect(script.summary).toMatch(/Kyiv/)
  })

  it('reads kin, age and pronouns from the idea: a retired astronaut, "her" granddaughter, a rocket in a barn', async () => {
    const ideas = { en: 'A retired astronaut teaches her granddaughter to fix a rocket in a barn', uk: 'Старенька астронавтка вчить онуку лагодити ракету в сараї' } as const
    for (const language of ['en', 'uk'] as const) {
      const script = await write(brief(ideas[language], { language, pages: 3 }))
      expectWellFormed(script, 3)
      const [hero, ally] = script.characters
      expect(hero.role).toBe(language === 'en' ? 'astronaut' : 'астронавтка')
      // Old, and a woman: "her" said so in English, the word's ending in Ukrainian.
      expect(hero.look.hair).toBe('a neat silver grey bun')
      expect(hero.look.outfit).toMatch(/spacesuit/)
      // Named as family, not as a friend.
      expect(ally.role).toMatch(language === 'en' ? `${hero.name}'s granddaughter` : /^онука \p{L}+$/u)
      expect(ally.look.face).toMatch(/grin|freckled|button nose/)
      expect(script.pages.flatMap((p) => p.panels).some((p) => /village/.test(p.scene))).toBe(true)
      // The idea's own verb sets the heroes' goal.
      expect(script.summary).toMatch(language === 'en' ? /must (?:fix the rocket|get the rocket working again)/ : /має (?:полагодити ракету|знову запустити ракету)/)
    }
    const family = await write(brief('A boy and his father build a boat'))
    expect(family.characters[1].role).toBe(`${family.characters[0].name}'s father`)
    expect(family.characters[1].look.face).not.toMatch(/grin with a gap|freckled|button nose/)
  })

  it('casts the people ideas commonly name: teenagers and a vampire principal, a soldier, a lighthouse keeper, bandits, superheroes', async () => {
    const roles = async (idea: string) => (await write(brief(idea, { pages: 2 }))).characters.map((c) => c.role)
    const school = await roles('Two teenagers discover their school principal is a vampire')
    expect(school[0]).toBe('teenager')
    expect(school[1]).toMatch(/^teenager, /)
    expect(school).toContain('teacher')
    // Met later, the vampire is the antagonist: last in the cast.
    expect(school.at(-1)).toBe('vampire')
    expect((await roles('A soldier returns home after the war'))[0]).toBe('soldier')
    expect((await roles('A lonely lighthouse keeper befriends a seal'))[0]).toBe('lighthouse keeper')
    expect((await roles('A samurai cat protects a village from bandits')).at(-1)).toBe('thief')
    expect((await roles('Superheroes retire and open a cafe')).slice(0, 2).every((r) => /^superhero/.test(r))).toBe(true)
    const wand = await write(brief('A wizard loses his magic wand in the city', { pages: 2 }))
    expect(`${wand.title} ${wand.summary}`).toMatch(/wand/i)
  })

  it('varies the shots and never repeats one in consecutive panels', async () => {
    const script = await write(brief('A fox detective in rainy Kyiv'))
    const shots = script.pages.flatMap((p) => p.panels.map((pn) => pn.shot))
    expect(new Set(shots).size).toBeGreaterThanOrEqual(7)
    for (let i = 1; i < shots.length; i++) expect(shots[i], `panel ${i}`).not.toBe(shots[i - 1])
    expect(shots[0]).toBe('establishing')
  })

  it('follows an arc from an opening to an ending', async () => {
    const script = await write(brief('A fox detective in rainy Kyiv', { pages: 12 }))
    const captions = script.pages.flatMap((p) => p.panels.flatMap((pn) => pn.lines.filter((l) => l.kind === 'caption').map((l) => l.text)))
    expect(captions[captions.length - 1]).toMatch(/^The End/)
    const villain = script.characters[script.characters.length - 1]
    const firstVillainPage = script.pages.findIndex((p) => p.panels.some((pn) => pn.characters.includes(villain.key)))
    expect(firstVillainPage).toBeGreaterThan(0)
    expect(firstVillainPage).toBeLessThan(script.pages.length - 1)
    const last = script.pages[script.pages.length - 1].panels
    expect(last[last.length - 1].scene).toMatch(/morning/)
  })

  it('is deterministic: the same idea and seed give the identical script', async () => {
    const a = await write(brief('A fox detective in rainy Kyiv'))
    const b = await write(brief('A fox detective in rainy Kyiv'))
    expect(b).toEqual(a)
    const c = await write(brief('A fox detective in rainy Kyiv', { seed: 8 }))
    expect(c).not.toEqual(a)
  })

  it('gives different ideas different titles, casts and scenes', async () => {
    const ideas = ['A fox detective in rainy Kyiv', 'Two cats save an old tram', 'A robot learns to paint on Mars', 'A girl and a dragon search for a lost crown in the mountains', 'A knight fights a wolf in the snowy forest']
    const scripts = await Promise.all(ideas.map((i) => write(brief(i))))
    expect(new Set(scripts.map((s) => s.title)).size).toBe(ideas.length)
    expect(new Set(scripts.map((s) => s.characters.map((c) => c.name).sort().join())).size).toBe(ideas.length)
    const scenes = scripts.map((s) => new Set(s.pages.flatMap((p) => p.panels.map((pn) => pn.scene))))
    for (let i = 0; i < scenes.length; i++) {
      for (let j = i + 1; j < scenes.length; j++) expect([...scenes[i]].some((x) => scenes[j].has(x))).toBe(false)
    }
    const [, cats, robot, girl, knight] = scripts
    expect(cats.characters.filter((c) => /cat face/.test(c.look.face)).length).toBeGreaterThanOrEqual(2)
    expect(cats.pages.flatMap((p) => p.panels).some((p) => /tram/.test(p.scene))).toBe(true)
    expect(robot.characters[0].look.face).toMatch(/robot/)
    expect(robot.pages.flatMap((p) => p.panels).some((p) => /planet|Mars/.test(p.scene))).toBe(true)
    const dragon = girl.characters.find((c) => /dragon/.test(c.look.face))
    expect(dragon).toBeDefined()
    expect(dragon).not.toBe(girl.characters[girl.characters.length - 1])
    // Met later and alone, a wolf is the knight's enemy: the villain comes last in the cast.
    expect(knight.characters[knight.characters.length - 1].look.face).toMatch(/wolf/)
    expect(girl.pages.flatMap((p) => p.panels).some((p) => /mountain/.test(p.scene))).toBe(true)
  })

  it('writes Ukrainian in Cyrillic for "uk" and English in Latin for "en"', async () => {
    const uk = await write(brief('Два коти рятують старий трамвай', { language: 'uk' }))
    expectWellFormed(uk, 8)
    expect(uk.title).toMatch(CYRILLIC)
    expect(uk.summary).toMatch(CYRILLIC)
    for (const text of spoken(uk)) {
      expect(text).toMatch(CYRILLIC)
      expect(text, text).not.toMatch(LATIN)
    }
    for (const c of uk.characters) {
      expect(c.name).toMatch(CYRILLIC)
      expect(c.role).toMatch(CYRILLIC)
    }
    expect(uk.characters.filter((c) => /cat face/.test(c.look.face)).length).toBe(2)
    expect(uk.summary).toMatch(/трамвай/)

    const en = await write(brief('Two cats save an old tram', { language: 'en' }))
    for (const text of spoken(en)) expect(text, text).not.toMatch(CYRILLIC)
    expect(en.title).not.toMatch(CYRILLIC)
  })

  it('agrees Ukrainian words with their genders and cases', async () => {
    const uk = await write(brief('Лисиця-детективка у дощовому Києві шукає вкрадену скрипку', { language: 'uk', pages: 24 }))
    const fox = uk.characters[0]
    expect(fox.role).toBe('лисиця-детективка')
    const byFox = uk.pages.flatMap((p) => p.panels.flatMap((pn) => pn.lines.filter((l) => l.speaker === fox.key).map((l) => l.text))).join('\n')
    const masculine = /(?<!\p{L})[Яя] (мав|потрапив|бачив|міг|сподівався|знав|біг|почув)(?!\p{L})/u
    const feminine = /(?<!\p{L})[Яя] (мала|потрапила|бачила|могла|сподівалася|знала|бігла|почула)(?!\p{L})/u
    expect(byFox).not.toMatch(masculine)
    expect(byFox).toMatch(feminine)
    expect(uk.summary).toMatch(/у дощовому Києві/)
    // "хто вкрав скрипку": the object takes the accusative after the verb.
    expect(uk.summary).toMatch(/хто вкрав скрипку/)
  })

  it('tells the story of the thing and the people the idea names, not of a stock golden key', async () => {
    const cases: [string, Language, RegExp][] = [
      ['Two rival bakers fight over a stolen sourdough starter before the village fair', 'en', /the sourdough starter/i],
      ['A retired astronaut fixes an old radio and hears a voice from the Moon', 'en', /the old radio/i],
      ['A shy programmer finds a talking camera in a pawn shop', 'en', /the camera/i],
      ['Бабуся знаходить старий фотоапарат на горищі', 'uk', /знайти старий фотоапарат/],
      ['Пекарі сваряться через вкрадену закваску', 'uk', /вкрав закваску/],
      ['Лицар шукає загублений меч у замку', 'uk', /загубленого меча/],
      ['A kid builds a time machine from a washing machine', 'en', /the time machine/],
      ['A young witch opens a bakery in a haunted town', 'en', /the bakery/],
      ['An old fisherman catches a talking fish', 'en', /a fisherman.*the fish/],
      ['Відьма відкриває пекарню', 'uk', /пекарн/],
      // A missing or lost creature is what the story is after, declined as a living thing.
      ['Two brothers search for their missing dog in a snowy forest', 'en', /the dog/],
      ['Хлопчик шукає загубленого брата', 'uk', /загубленого брата/],
      ['A girl searches for her lost sister', 'uk', /загублену сестру/],
    ]
    for (const [idea, language, mention] of cases) {
      const script = await write(brief(idea, { language }))
      expect(`${script.title} ${script.summary}`, idea).toMatch(mention)
    }
    for (const [idea, id] of [['a girl and her guitar', 'guitar'], ['a ring of power', 'ring'], ['дзеркало в замку', 'mirror'], ['старий телескоп', 'telescope'], ['a lost compass', 'compass'], ['a recipe book', 'recipe'], ['a stolen bike', 'bicycle'], ['an old piano', 'piano'], ['a phone that rings at midnight', 'phone'], ['a photo of a stranger', 'photo'], ['a lonely robot waters the last flower', 'flower'], ['a space station orbiting Jupiter', 'station'], ['students enter a video game', 'game'], ['her school is run by vampires', 'school'], ['a nurse in a hospital', 'hospital'], ['a princess escapes from a tower', 'tower'], ['Рибалка ловить золоту рибку', 'fish'], ['a magic door in the attic', 'door'], ['Чарівні двері на горищі', 'door'], ['a spy steals secret plans from a train', 'blueprint'], ['the last train home', 'train']] as const) {
      expect(parseIdea(idea).object?.entry.id, idea).toBe(id)
    }
    for (const [idea, id] of [['A shy programmer', 'programmer'], ['Фермерка і її корова', 'farmer'], ['a poet in Lviv', 'writer'], ['Старий садівник', 'gardener'], ['a war photographer', 'photographer'], ['Фотографка шукає світлину', 'photographer'], ['An old fisherman', 'fisherman'], ['Рибалка ловить золоту рибку', 'fisherman']] as const) {
      expect(parseIdea(idea).beings[0]?.profession?.id, idea).toBe(id)
    }
    expect(parseIdea('Фермерка і її корова').beings[0].gender).toBe('f')
    expect(parseIdea('Фотографка шукає світлину').object?.entry.id).toBe('photo')
    const brothers = await write(brief('Two brothers search for their missing dog in a snowy forest'))
    expect(brothers.characters.map((c) => c.role)).not.toContain('dog')
    expect(parseIdea('a girl and her dog').beings.map((b) => b.kind?.id)).toEqual(['girl', 'dog'])
    const coder = await write(brief('A shy programmer finds a talking camera in a pawn shop'))
    expect(coder.characters[0].role).toBe('programmer')
  })

  it('reads its other language\'s ideas too', async () => {
    const uk = await write(brief('A fox detective in rainy Kyiv', { language: 'uk' }))
    expect(uk.summary).toMatch(/Києві/)
    expect(uk.characters[0].role).toMatch(/лис/)
    const en = await write(brief('Два коти рятують старий трамвай', { language: 'en' }))
    expect(en.summary).toMatch(/old tram/)
  })

  it('keeps the same cast and pages across languages for one seed', async () => {
    const en = await write(brief('A fox detective in rainy Kyiv'))
    const uk = await write(brief('A fox detective in rainy Kyiv', { language: 'uk' }))
    expect(uk.characters.map((c) => c.look)).toEqual(en.characters.map((c) => c.look))
    expect(uk.pages.map((p) => p.panels.map((pn) => pn.shot))).toEqual(en.pages.map((p) => p.panels.map((pn) => pn.shot)))
  })

  it('reports its steps in order', async () => {
    const steps: string[] = []
    await writer.write(brief('A fox detective in rainy Kyiv'), {
      signal: new AbortController().signal,
      onStep: (step: StoryStep, status) => steps.push(`${step}:${status}`),
    })
    expect(steps).toEqual(['plot:started', 'plot:done', 'characters:started', 'characters:done', 'pages:started', 'pages:done', 'dialogue:started', 'dialogue:done'])
  })

  it('honours the abort signal before and during writing', async () => {
    const before = new AbortController()
    before.abort()
    expect(await codeOf(writer.write(brief('A fox detective'), { signal: before.signal }))).toBe('cancelled')

    const during = new AbortController()
    const steps: string[] = []
    const p = writer.write(brief('A fox detective'), {
      signal: during.signal,
      onStep: (step, status) => {
        steps.push(`${step}:${status}`)
        if (step === 'characters' && status === 'started') during.abort()
      },
    })
    expect(await codeOf(p)).toBe('cancelled')
    expect(steps).not.toContain('pages:started')
  })

  it('refuses an empty idea and page counts outside 1–24', async () => {
    expect(await codeOf(write(brief('   ')))).toBe('bad_input')
    expect(await codeOf(write(brief('A fox', { pages: 0 })))).toBe('bad_input')
    expect(await codeOf(write(brief('A fox', { pages: 25 })))).toBe('bad_input')
  })

  it('writes a whole story on one page and a long one on 24 without running out of lines', async () => {
    const one = await write(brief('A fox detective in rainy Kyiv', { pages: 1 }))
    expectWellFormed(one, 1)
    const onePanels = one.pages[0].panels
    expect(onePanels[0].shot).toBe('establishing')
    expect(onePanels[onePanels.length - 1].lines.map((l) => l.text).join()).toMatch(/The End/)

    for (const language of ['en', 'uk'] as Language[]) {
      const long = await write(brief('A fox detective in rainy Kyiv', { pages: 24, language }))
      expectWellFormed(long, 24)
      const lines = spoken(long)
      expect(new Set(lines).size / lines.length).toBeGreaterThan(0.75)
    }
  })

  it('writes a valid script for any idea, page count, seed and language', async () => {
    const words = ['fox', 'cat', 'robot', 'dragon', 'ghost', 'witch', 'pirate', 'tram', 'Lviv', 'forest', 'sea', 'snowy', 'night', 'лис', 'кішка', 'дракон', 'у Києві', 'рятує', 'шукає', 'two', 'три', 'old', 'magic', 'key']
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 24 }),
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.constantFrom<Language>('en', 'uk'),
      async (parts, pages, seed, language) => {
        const idea = `${parts.join(' ')} idea`
        const script = await write(brief(idea, { pages, seed, language }))
        expectWellFormed(script, pages)
      },
    ), { numRuns: 40 })
  })
})
