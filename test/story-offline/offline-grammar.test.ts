import { describe, expect, it } from 'vitest'
import { adjective, decline, fill, term, withAdjective, type Gender, type Slots } from '../../src/story/offline-grammar.ts'
import { parseIdea } from '../../src/story/offline-idea.ts'
import { LINES_EN } from '../../src/story/offline-lines-en.ts'
import { LINES_UK } from '../../src/story/offline-lines-uk.ts'

const tram = term('the tram', 'm', 'трамвай|трамвая|трамваю|трамвай|трамваєм|трамваї', 'tram')
const violin = term('the violin', 'f', 'скрипка|скрипки|скрипці|скрипку|скрипкою|скрипці', 'violin')
const egg = term('the egg', 'n', 'яйце|яйця|яйцю|яйце|яйцем|яйці', 'egg')
const mountains = term('the mountains', 'pl', 'гори|гір|горам|гори|горами|горах', 'mountains')
const lina = term('Lina', 'f', 'Ліна|Ліни|Ліні|Ліну|Ліною|Ліні|Ліно')
const myron = term('Myron', 'm', 'Мирон|Мирона|Миронові|Мирона|Мироном|Миронові|Мироне')

function slots(hero: typeof lina, other: typeof lina, obj: typeof tram): Slots {
  const text = (t: string) => ({ text: t, g: 'n' as Gender })
  return {
    hero, ally: other, villain: other, mentor: other, helper: other, me: hero, you: other, obj,
    city: term('Kyiv', 'm', 'Київ|Києва|Києву|Київ|Києвом|Києві'), wcity: term('rainy Kyiv', 'm', 'дощовий Київ|дощового Києва|дощовому Києву|дощовий Київ|дощовим Києвом|дощовому Києві'),
    in_city: text('у Києві'), in_wcity: text('у дощовому Києві'), here: text('на дахах'), final_at: text('у депо'), final_name: text('депо'),
    goal: text('врятувати трамвай'), clue: { text: 'чорне перо', g: 'n' }, hero_role: text('лисиця'),
  }
}

describe('Ukrainian grammar for the offline writer', () => {
  it('declines hard and soft adjectives with their nouns', () => {
    const old = adjective('old', 'старий')
    expect(withAdjective(tram, old).uk.acc).toBe('старий трамвай')
    expect(withAdjective(tram, old).uk.loc).toBe('старому трамваї')
    expect(withAdjective(violin, old).uk.acc).toBe('стару скрипку')
    expect(withAdjective(violin, old).uk.gen).toBe('старої скрипки')
    expect(withAdjective(egg, adjective('magic', 'чарівний')).uk.ins).toBe('чарівним яйцем')
    expect(withAdjective(mountains, adjective('snowy', 'сніжний')).uk.loc).toBe('сніжних горах')
    const blue = adjective('blue', 'синій')
    expect(decline(blue, 'f', 'gen')).toBe('синьої')
    expect(decline(blue, 'm', 'dat')).toBe('синьому')
    expect(decline(blue, 'f', 'acc')).toBe('синю')
    expect(decline(old, 'm', 'acc', true)).toBe('старого')
    expect(withAdjective(violin, old).en).toBe('the old violin')
    // A living thing takes the genitive form in the accusative.
    const dog = { ...term('the dog', 'm', 'пес|пса|псові|пса|псом|псові', 'dog'), animate: true }
    expect(withAdjective(dog, old).uk.acc).toBe('старого пса')
    expect(withAdjective(term('the tram', 'm', 'трамвай|трамвая|трамваю|трамвай|трамваєм|трамваї'), old).uk.acc).toBe('старий трамвай')
  })

  it('fills cases and agreement from the slot', () => {
    const s = slots(lina, myron, violin)
    expect(fill('{you.voc}, я {me:бачив|бачила} {obj.acc}!', s, 'uk')).toBe('Мироне, я бачила скрипку!')
    expect(fill('{^obj} {obj:зник|зникла|зникло|зникли}.', s, 'uk')).toBe('Скрипка зникла.')
    expect(fill('{^obj} {obj:зник|зникла|зникло|зникли}.', { ...s, obj: mountains }, 'uk')).toBe('Гори зникли.')
    expect(fill('{hero} lost {obj}; {hero:he|she} wept.', s, 'en')).toBe('Lina lost the violin; she wept.')
    expect(() => fill('{nobody}', s, 'en')).toThrow()
  })

  it('says "з", "із" or "зі" as the next word asks', () => {
    const sword = withAdjective(term('the sword', 'm', 'меч|меча|мечу|меч|мечем|мечі', 'sword'), adjective('lost', 'загублений'))
    const school = term('the school', 'f', 'школа|школи|школі|школу|школою|школі', 'school')
    expect(fill('зняти прокляття з {obj.gen}', slots(lina, myron, sword), 'uk')).toBe('зняти прокляття із загубленого меча')
    expect(fill('прокляття з {obj.gen}', slots(lina, myron, school), 'uk')).toBe('прокляття зі школи')
    expect(fill('Разом з {you.ins}', slots(lina, myron, violin), 'uk')).toBe('Разом з Мироном')
    const stepan = term('Stepan', 'm', 'Степан|Степана|Степанові|Степана|Степаном|Степанові|Степане')
    const sasha = term('Sasha', 'f', 'Саша|Саші|Саші|Сашу|Сашею|Саші|Сашо')
    expect(fill('Разом з {you.ins}', slots(lina, stepan, violin), 'uk')).toBe('Разом зі Степаном')
    expect(fill('Разом з {you.ins}', slots(lina, sasha, violin), 'uk')).toBe('Разом із Сашею')
    expect(fill('З {obj.gen} почалося все', slots(lina, myron, sword), 'uk')).toBe('Із загубленого меча почалося все')
    // "з" inside a word, and English, stay as they are.
    expect(fill('віз сіно з поля', slots(lina, myron, violin), 'uk')).toBe('віз сіно з поля')
    expect(fill('з {obj.gen}', slots(lina, myron, sword), 'en')).toBe('з the lost sword')
  })

  it('has the same line pools in both languages, and every line fills for every gender', () => {
    expect(Object.keys(LINES_UK).sort()).toEqual(Object.keys(LINES_EN).sort())
    for (const [lang, lines] of [['en', LINES_EN], ['uk', LINES_UK]] as const) {
      for (const [key, pool] of Object.entries(lines)) {
        expect(pool.length, key).toBeGreaterThan(0)
        for (const template of pool) {
          for (const [hero, other] of [[lina, myron], [myron, lina]]) {
            for (const obj of [tram, violin, egg, mountains]) {
              const out = fill(template, slots(hero, other, obj), lang)
              expect(out, `${key}: ${template}`).not.toMatch(/[{}]/)
              if (lang === 'uk') expect(out, out).not.toMatch(/[A-Za-z]/)
            }
          }
        }
      }
    }
  })
})

describe('reading ideas', () => {
  it('finds who, where, in what weather and what they are after', () => {
    const fox = parseIdea('A fox detective in rainy Kyiv')
    expect(fox.beings).toHaveLength(1)
    expect(fox.beings[0].kind?.id).toBe('fox')
    expect(fox.beings[0].profession?.id).toBe('detective')
    expect(fox.place?.id).toBe('kyiv')
    expect(fox.weather).toBe('rain')
    expect(fox.genre).toBe('mystery')

    const cats = parseIdea('Два коти рятують старий трамвай')
    expect(cats.beings[0].kind?.id).toBe('cat')
    expect(cats.beings[0].count).toBe(2)
    expect(cats.object?.entry.id).toBe('tram')
    expect(cats.object?.adjective?.id).toBe('old')
    expect(cats.genre).toBe('rescue')

    const vixen = parseIdea('Лисиця-детективка шукає скрипку у нічному Львові')
    expect(vixen.beings[0].gender).toBe('f')
    expect(vixen.place?.id).toBe('lviv')
    expect(vixen.night).toBe(true)

    const duel = parseIdea('A girl fights a dragon in the mountains')
    expect(duel.beings.map((b) => b.kind?.id)).toEqual(['girl', 'dragon'])
    expect(duel.beings[1].companion).toBe(false)
    expect(duel.place?.id).toBe('mountains')
    expect(parseIdea('A girl and her old dragon search for a crown').beings[1].companion).toBe(true)
    expect(parseIdea('Дівчинка і дракон шукають корону').beings[1].companion).toBe(true)

    // "tram driver" is a job, not a tram; "лист" (a letter) is not "лис" (a fox).
    expect(parseIdea('An old tram driver').beings[0].profession?.id).toBe('driver')
    expect(parseIdea('Лист від бабусі').object?.entry.id).toBe('letter')
    expect(parseIdea('Лист від бабусі').beings[0].kind?.id).toBe('grandma')
  })
})
