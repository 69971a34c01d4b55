const LANG_KEY = 'kitsumy.lang'

let saved: string | null | undefined

// The language last chosen in this studio, read from storage once. The entry reads it while the app's
// code is still on its way, so the storage's round trip to the browser process is not on the first
// screen's path.
export function savedLang(): string | null {
  if (saved === undefined) saved = localStorage.getItem(LANG_KEY)
  return saved
}

export function saveLang(lang: string): void {
  saved = lang
  localStorage.setItem(LANG_KEY, lang)
}
