import type { i18n as I18n } from 'i18next'

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
function asItStands(i18n: I18n, key: string, options: unknown): string | undefined {
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

const ANSWERS_KEPT = 5000

// A screenful of cards asks for the same strings again and again (a status, a button's label), and
// i18next works out each one afresh: key lookup, plural rules, interpolation. From here on the instance's
// `t` keeps its answers for plain options until the language or a catalog changes; react-i18next's `t`
// calls this one too.
export function rememberTranslations(i18n: I18n): void {
  const answered = new Map<string, string>()
  const translate = i18n.t as unknown as LooseT
  const rememberingT: LooseT = (key, options, ...rest) => {
    if (typeof key !== 'string' || rest.length > 0 || !plainOptions(options)) return translate(key, options, ...rest)
    const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`
    const known = answered.get(id)
    if (known !== undefined) return known
    const text = asItStands(i18n, key, options) ?? translate(key, options)
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
}
