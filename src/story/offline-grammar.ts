import type { Language } from '../contract/index.ts'

// Just enough grammar for the offline writer to speak natural Ukrainian: nouns and adjectives in
// seven cases, gender agreement, and templates that pick the right form.
export type Gender = 'm' | 'f' | 'n' | 'pl'
export const CASES = ['nom', 'gen', 'dat', 'acc', 'ins', 'loc', 'voc'] as const
export type Case = (typeof CASES)[number]
export type Forms = Record<Case, string>

// A word or phrase in both languages; English needs no cases, only a bare form without the article.
export interface Term {
  en: string
  enBare: string
  uk: Forms
  g: Gender
  // A living thing: its adjective's accusative follows the genitive ("зниклого пса").
  animate?: boolean
}

// "nom|gen|dat|acc|ins|loc|voc"; loc defaults to dat and voc to nom, as they often coincide.
export function ukForms(spec: string): Forms {
  const [nom, gen, dat, acc, ins, loc, voc] = spec.split('|')
  return { nom, gen: gen ?? nom, dat: dat ?? nom, acc: acc ?? nom, ins: ins ?? nom, loc: loc ?? dat ?? nom, voc: voc ?? nom }
}

export function term(en: string, g: Gender, uk: string, enBare = en): Term {
  return { en, enBare, uk: ukForms(uk), g }
}

const HARD: Record<Gender, Record<Case, string>> = {
  m: { nom: 'ий', gen: 'ого', dat: 'ому', acc: 'ий', ins: 'им', loc: 'ому', voc: 'ий' },
  f: { nom: 'а', gen: 'ої', dat: 'ій', acc: 'у', ins: 'ою', loc: 'ій', voc: 'а' },
  n: { nom: 'е', gen: 'ого', dat: 'ому', acc: 'е', ins: 'им', loc: 'ому', voc: 'е' },
  pl: { nom: 'і', gen: 'их', dat: 'им', acc: 'і', ins: 'ими', loc: 'их', voc: 'і' },
}
const SOFT: Record<Gender, Record<Case, string>> = {
  m: { nom: 'ій', gen: 'ього', dat: 'ьому', acc: 'ій', ins: 'ім', loc: 'ьому', voc: 'ій' },
  f: { nom: 'я', gen: 'ьої', dat: 'ій', acc: 'ю', ins: 'ьою', loc: 'ій', voc: 'я' },
  n: { nom: 'є', gen: 'ього', dat: 'ьому', acc: 'є', ins: 'ім', loc: 'ьому', voc: 'є' },
  pl: { nom: 'і', gen: 'іх', dat: 'ім', acc: 'і', ins: 'іми', loc: 'іх', voc: 'і' },
}

// An adjective given by its masculine nominative: hard stems end in -ий, soft ones in -ій.
export interface Adjective {
  en: string
  stem: string
  soft: boolean
}

export function adjective(en: string, ukMasc: string): Adjective {
  const soft = ukMasc.endsWith('ій')
  return { en, stem: ukMasc.slice(0, -2), soft }
}

export function decline(adj: Adjective, g: Gender, c: Case, animate = false): string {
  const table = adj.soft ? SOFT : HARD
  // Animate masculine and plural nouns take the genitive form in the accusative.
  const form = c === 'acc' && animate && (g === 'm' || g === 'pl') ? table[g].gen : table[g][c]
  return adj.stem + form
}

export function withAdjective(noun: Term, adj: Adjective): Term {
  const uk = {} as Forms
  for (const c of CASES) uk[c] = `${decline(adj, noun.g, c, noun.animate)} ${noun.uk[c]}`
  return { en: noun.en.replace(/^(the |a |an )?/, (m) => `${m}${adj.en} `), enBare: `${adj.en} ${noun.enBare}`, uk, g: noun.g, animate: noun.animate }
}

export function capitalize(s: string): string {
  return s ? s[0].toLocaleUpperCase() + s.slice(1) : s
}

const SMALL_WORDS = new Set(['a', 'an', 'the', 'and', 'of', 'in', 'on', 'at', 'to', 'over', 'for', 'from', 'with', 'by', 'among'])

export function titleCase(s: string): string {
  return s.split(' ').map((w, i) => (i > 0 && SMALL_WORDS.has(w) ? w : capitalize(w))).join(' ')
}

// A slot a template can name: a Term, a plain string the same in every case, or a gendered string.
export type Slot = Term | { text: string; g: Gender }

export type Slots = Record<string, Slot | undefined>

const SLOT = /\{(\^?)([a-z_]+)(?:\.([a-z]+))?(?::([^}]*))?\}/g
const GENDER_INDEX: Record<Gender, number> = { m: 0, f: 1, n: 2, pl: 3 }

// Ukrainian euphony for "з": "із" before a hissing sound ("із загубленого меча", "разом із Соломією"), "зі" before
// one that opens a cluster ("зі школи", "зі сторожем"); a slot's word is known only once filled.
function euphony(text: string): string {
  return text.replace(/(?<!\p{L})([Зз]) (?=([зсцчшщжЗСЦЧШЩЖ])(\p{L}))/gu, (_m, z: string, first: string, next: string) => {
    const cluster = 'зсшщ'.includes(first.toLowerCase()) && !'аеєиіїоуюяь'.includes(next.toLowerCase())
    return `${z === 'З' ? (cluster ? 'Зі' : 'Із') : cluster ? 'зі' : 'із'} `
  })
}

// Fills {name}, {name.case}, {^name} (capitalised) and {name:masc|fem|neut|plural} (agreement with the slot's gender).
export function fill(template: string, slots: Slots, lang: Language): string {
  const filled = fillSlots(template, slots, lang)
  return lang === 'uk' ? euphony(filled) : filled
}

function fillSlots(template: string, slots: Slots, lang: Language): string {
  return template.replace(SLOT, (_match, cap: string, name: string, form: string | undefined, choices: string | undefined) => {
    const slot = slots[name]
    if (!slot) throw new Error(`Template slot "${name}" is not set in: ${template}`)
    let out: string
    if (choices !== undefined) {
      // Two options are masculine|feminine: a neuter or plural slot then takes the first.
      const options = choices.split('|')
      out = options[GENDER_INDEX[slot.g]] ?? options[0]
    } else if ('text' in slot) {
      out = slot.text
    } else if (lang === 'en') {
      out = form === 'bare' ? slot.enBare : slot.en
    } else {
      out = form && form !== 'bare' ? slot.uk[form as Case] ?? slot.uk.nom : slot.uk.nom
    }
    return cap ? capitalize(out) : out
  })
}
