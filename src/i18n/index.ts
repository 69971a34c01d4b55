import i18next, { type i18n as I18nInstance, type InitOptions, type TFunction } from 'i18next'
import { en } from './catalogs/en.ts'
import { uk } from './catalogs/uk.ts'

export { describeEvent, describeError, describeStoredError } from './events.ts'

export const LANGUAGES = ['en', 'uk'] as const
export type Lang = (typeof LANGUAGES)[number]

export const catalogs = { en, uk } as const satisfies Record<Lang, object>

export type Translate = TFunction

export interface I18n {
  readonly lang: Lang
  readonly t: Translate
  readonly instance: I18nInstance
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

// Picks a catalog language from a locale tag such as "uk-UA" or LANG="uk_UA.UTF-8".
export function pickLang(locale: string | null | undefined): Lang {
  const base = (locale ?? '').toLowerCase().split(/[-_.]/)[0]
  return isLang(base) ? base : 'en'
}

// What every i18next instance of ours shares; only the language and the catalogs it starts with differ.
export const I18N_OPTIONS = {
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
} satisfies InitOptions

// A framework-free instance: the CLI uses it as is, the renderer hands `instance` to react-i18next.
export function createI18n(lang: Lang = 'en'): I18n {
  const instance = i18next.createInstance()
  void instance.init({ ...I18N_OPTIONS, lng: lang, resources: { en: { translation: en }, uk: { translation: uk } } })
  return { lang, t: instance.t.bind(instance) as Translate, instance }
}
