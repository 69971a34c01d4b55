import i18next from 'i18next'
import { en } from '../src/i18n/catalogs/en.ts'
import { I18N_OPTIONS, isLang, pickLang, type Lang } from '../src/i18n/index.ts'
import { saveLang, savedLang } from './savedLang.ts'
import { rememberTranslations } from './translationMemo.ts'

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

rememberTranslations(i18n)

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
