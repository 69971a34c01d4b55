import i18next from 'i18next'
import { en } from '../src/i18n/catalogs/en.ts'
import { I18N_OPTIONS, isLang, pickLang, type Lang } from '../src/i18n/index.ts'
import { saveLang, savedLang } from './savedLang.ts'

// English is the fallback and always in; every other catalog is a chunk of its own, loaded when its
// language is first used, so the first screen parses one catalog, not all of them.
const LATER: Record<Exclude<Lang, 'en'>, () => Promise<object>> = {
  uk: () => import('../src/i18n/catalogs/uk.ts').then((m) => m.uk),
}

function initialLang(): Lang {
  const saved = savedLang()
  return isLang(saved) ? saved : pickLang(navigator.language)
}

// The renderer's one i18next instance; react-i18next reads it through I18nextProvider. It starts with one
// catalog instead of every one.
const firstLang = initialLang()
export const i18n = i18next.createInstance()
void i18n.init({ ...I18N_OPTIONS, lng: firstLang, resources: { en: { translation: en } } })

type LooseT = (key: unknown, options?: unknown, ...rest: unknown[]) => unknown

const plainValue = (v: unknown): boolean => v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v) || (Array.isArray(v) && v.every((x) => typeof x === 'string'))
const plainOptions = (o: unknown): boolean => plainValue(o) || (typeof o === 'object' && Object.getPrototypeOf(o) === Object.prototype && Object.values(o as object).every(plainValue))

// What react-i18next's `t` adds to every call: which language and namespace to read, nothing to put in.
const PLACE_ONLY: Readonly<Record<string, (v: unknown) => boolean>> = {
  lng: (v) => v === undefined || typeof v === 'string',
  lngs: (v) => v === undefined,
  ns: (v) => v === undefined || v === 'translation',
  keyPrefix: (v) => v === undefined,
}

// Where i18next would put something into a string: a value, or another key's text.
const INSERTS = /\{\{|\$t\(/

// A catalog string asked for as it stands (no count, no values, no nesting): the language's own, or
// English's should the language lack it, exactly what i18next would answer, read without its machinery.
// Anything else (a missing key, a plural, a placeholder) is left to i18next.
function asItStands(key: string, options: unknown): string | undefined {
  if (key.includes(':')) return undefined
  const o = (options ?? {}) as Record<string, unknown>
  if (!Object.entries(o).every(([name, v]) => PLACE_ONLY[name]?.(v))) return undefined
  for (const lng of new Set([typeof o.lng === 'string' ? o.lng : i18n.language, 'en'])) {
    const text: unknown = i18n.getResource(lng, 'translation', key)
    if (text === undefined) continue
    return typeof text === 'string' && text !== '' && !INSERTS.test(text) ? text : undefined
  }
  return undefined
}

// A screenful of cards asks for the same strings again and again (a status, a button's label), and
// i18next works out each one afresh: key lookup, plural rules, interpolation. Its answers for plain
// options are kept until the language or a catalog changes. react-i18next's `t` calls this one too.
const ANSWERS_KEPT = 5000
const answered = new Map<string, string>()
const translate = i18n.t as unknown as LooseT
const rememberingT: LooseT = (key, options, ...rest) => {
  if (typeof key !== 'string' || rest.length > 0 || !plainOptions(options)) return translate(key, options, ...rest)
  const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`
  const known = answered.get(id)
  if (known !== undefined) return known
  const text = asItStands(key, options) ?? translate(key, options)
  if (typeof text === 'string') {
    if (answered.size >= ANSWERS_KEPT) answered.clear()
    answered.set(id, text)
  }
  return text
}
i18n.t = rememberingT as unknown as typeof i18n.t
i18n.on('languageChanged', () => answered.clear())
i18n.store.on('added', () => answered.clear())
i18n.store.on('removed', () => answered.clear())

const loading = new Map<Lang, Promise<void>>()

// Resolves once the language's catalog is in the instance; a failed load may be tried again.
function loadCatalog(lang: Lang): Promise<void> {
  if (lang === 'en' || i18n.hasResourceBundle(lang, 'translation')) return Promise.resolve()
  let load = loading.get(lang)
  if (!load) {
    load = LATER[lang]().then(
      (catalog) => { i18n.addResourceBundle(lang, 'translation', catalog) },
      (err: unknown) => {
        loading.delete(lang)
        throw err
      },
    )
    loading.set(lang, load)
  }
  return load
}

// The first render waits for this, so the studio never opens in English for a moment first. Should the
// catalog not load, it opens in the fallback language rather than not at all.
export const i18nReady: Promise<void> = loadCatalog(firstLang).catch(() => {})

// The UI switches once the language's catalog is in, never showing the fallback for a moment; should the
// catalog not load, the language stays as it was and the next choice tries again.
export function setLang(lang: Lang): void {
  loadCatalog(lang).then(() => {
    saveLang(lang)
    document.documentElement.lang = lang
    void i18n.changeLanguage(lang)
  }, () => {})
}

document.documentElement.lang = i18n.language
