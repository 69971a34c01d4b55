import { describe, expect, it } from 'vitest'
import { catalogs, createI18n, LANGUAGES } from '../../src/i18n/index.ts'
import { rememberTranslations } from '../../renderer/translationMemo.ts'

// The renderer remembers i18next's answers and reads plain catalog strings without i18next's machinery.
// Whatever it answers must be exactly what i18next answers, for every key of every catalog.
function keysOf(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

const PLURAL = /_(zero|one|two|few|many|other)$/
const keys = [...new Set(keysOf(catalogs.en).flatMap((k) => [k, k.replace(PLURAL, '')]))]
const OPTIONS: unknown[] = [undefined, {}, { count: 1 }, { count: 3 }, { count: 21 }, { lng: 'en' }, { lng: 'uk' }, { name: 'Yana', title: 'Rain', count: 2, n: 5 }]

describe('remembered translations', () => {
  it('answer every key, with and without values, exactly as i18next does, the first time and from memory', async () => {
    const remembered = createI18n('en').instance
    rememberTranslations(remembered)
    const plain = createI18n('en').instance
    expect(keys.length).toBeGreaterThan(300)
    for (const lang of LANGUAGES) {
      await remembered.changeLanguage(lang)
      await plain.changeLanguage(lang)
      for (const key of [...keys, 'no.such.key']) {
        for (const options of OPTIONS) {
          const want = plain.t(key, options as never)
          expect(remembered.t(key, options as never), `${lang} ${key} ${JSON.stringify(options)}`).toEqual(want)
          expect(remembered.t(key, options as never)).toEqual(want)
        }
      }
    }
  })

  it('forgets its answers when a catalog changes', () => {
    const i18n = createI18n('en').instance
    rememberTranslations(i18n)
    const key = keys.find((k) => typeof i18n.t(k) === 'string' && !PLURAL.test(k))!
    const before = i18n.t(key)
    i18n.addResource('en', 'translation', key, 'changed')
    expect(i18n.t(key)).toBe('changed')
    expect(before).not.toBe('changed')
  })
})
