import { createI18n, isLang, pickLang, type Lang } from '../src/i18n/index.ts'

const LANG_KEY = 'kitsumy.lang'

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY)
  return isLang(saved) ? saved : pickLang(navigator.language)
}

// The renderer's one i18next instance; react-i18next reads it through I18nextProvider.
export const i18n = createI18n(initialLang()).instance

export function setLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang)
  document.documentElement.lang = lang
  void i18n.changeLanguage(lang)
}

document.documentElement.lang = i18n.language
