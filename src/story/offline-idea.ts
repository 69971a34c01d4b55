import {
  ACTIONS, ADJECTIVES, GENRES, GENRE_CUES, KINDS, NUMBERS, OBJECTS, PLACES, PROFESSIONS, WEATHERS,
  type Action, type AdjectiveEntry, type Genre, type KindEntry, type ObjectEntry, type PlaceEntry, type ProfessionEntry, type Weather,
} from './offline-lexicon.ts'

// What the offline writer understood of an idea: who it is about, where, in what weather, and what they are after.
export interface IdeaBeing {
  kind: KindEntry | null
  profession: ProfessionEntry | null
  count: number
  gender: 'm' | 'f' | null
  // "A retired astronaut", "an old fox": drawn old whatever their kind.
  old: boolean
  // Named together with the one before ("a girl and a dragon"): a companion, never the villain.
  companion: boolean
}

export interface IdeaParse {
  beings: IdeaBeing[]
  place: PlaceEntry | null
  weather: Weather | null
  night: boolean
  object: { entry: ObjectEntry; adjective: AdjectiveEntry | null } | null
  genre: Genre | null
  action: Action | null
}

type Hit =
  | { type: 'kind'; entry: KindEntry; at: number; end: number; text: string }
  | { type: 'profession'; entry: ProfessionEntry; at: number; end: number; text: string }
  | { type: 'place'; entry: PlaceEntry; at: number; end: number; text: string }
  | { type: 'object'; entry: ObjectEntry; at: number; end: number; text: string }
  | { type: 'adjective'; entry: AdjectiveEntry; at: number; end: number; text: string }
  | { type: 'number'; n: number; at: number; end: number; text: string }

function* matches(re: RegExp, text: string): Generator<{ at: number; end: number; text: string }> {
  for (const m of text.matchAll(re)) yield { at: m.index, end: m.index + m[0].length, text: m[0] }
}

function collect(text: string): Hit[] {
  const hits: Hit[] = []
  for (const entry of KINDS) for (const m of matches(entry.re, text)) hits.push({ type: 'kind', entry, ...m })
  for (const entry of PROFESSIONS) for (const m of matches(entry.re, text)) hits.push({ type: 'profession', entry, ...m })
  for (const entry of PLACES) for (const m of matches(entry.re, text)) hits.push({ type: 'place', entry, ...m })
  for (const entry of OBJECTS) for (const m of matches(entry.re, text)) hits.push({ type: 'object', entry, ...m })
  for (const entry of ADJECTIVES) for (const m of matches(entry.re, text)) hits.push({ type: 'adjective', entry, ...m })
  for (const { n, re } of NUMBERS) for (const m of matches(re, text)) hits.push({ type: 'number', n, ...m })
  // Longest match wins where two overlap ("tram driver" is a profession, not a tram).
  hits.sort((a, b) => a.at - b.at || b.end - b.at - (a.end - a.at))
  const kept: Hit[] = []
  for (const h of hits) if (!kept.some((k) => h.at < k.end && k.at < h.end)) kept.push(h)
  return kept
}

function adjacent(text: string, from: number, to: number): boolean {
  return /^[\s\-–—]*$/u.test(text.slice(from, to))
}

// Adjectives that make a creature the thing sought.
const SEEKING = new Set(['missing', 'lost', 'stolen'])

const COMPANION = /^[\s,]*(?:and|&|with|і|й|та|з|із|зі|разом з)\s+(?:(?:a|an|the|his|her|their|its|one|two|три|два|дві|своїм|своєю|своїми)\s+)?(?:[\p{L}-]+\s+)?$/u

function looksPlural(word: string): boolean {
  if (/[a-z]/.test(word)) return /(?:s|mice|children|men|people)$/.test(word) && !/(?:ss|us)$/.test(word)
  return /(?:и|ів|ами|ах|ята|ата|діти|миші)$/u.test(word)
}

function genderOf(kind: KindEntry | null, profession: ProfessionEntry | null, word: string): 'm' | 'f' | null {
  for (const e of [kind, profession]) {
    if (!e) continue
    if (e.female?.test(word)) return 'f'
    if (e.male?.test(word)) return 'm'
  }
  return null
}

// The pronoun an idea first uses after its lead ("…teaches her granddaughter"): the lead's gender when no word gave it.
const PRONOUNS: { id: 'm' | 'f'; re: RegExp }[] = [
  { id: 'f', re: /(?<!\p{L})(?:she|her|hers|herself|вона|її|нею|неї)(?!\p{L})/u },
  { id: 'm', re: /(?<!\p{L})(?:he|him|his|himself|він|його|ним|нього)(?!\p{L})/u },
]

// Of the entries found in the text, the one found first.
function earliest<T>(text: string, entries: readonly { id: T; re: RegExp }[]): T | null {
  let best: { id: T; at: number } | null = null
  for (const { id, re } of entries) {
    const at = text.search(re)
    if (at >= 0 && (!best || at < best.at)) best = { id, at }
  }
  return best?.id ?? null
}

function genreOf(text: string): Genre | null {
  let best: Genre | null = null
  let bestCount = 0
  for (const g of GENRES) {
    const count = [...text.matchAll(GENRE_CUES[g])].length
    if (count > bestCount) { best = g; bestCount = count }
  }
  return best
}

export function parseIdea(idea: string): IdeaParse {
  const text = idea.normalize('NFC').toLowerCase().replace(/[’`]/g, "'")
  const hits = collect(text)
  const beings: IdeaBeing[] = []
  let pendingCount: { n: number; end: number } | null = null
  let last: { being: IdeaBeing; end: number; words: string } | null = null
  let object: IdeaParse['object'] = null
  let pendingAdjective: { entry: AdjectiveEntry; end: number } | null = null
  let leadEnd = 0

  for (const h of hits) {
    if (h.type === 'number') { pendingCount = { n: h.n, end: h.end }; continue }
    if (h.type === 'adjective') { pendingAdjective = { entry: h.entry, end: h.end }; continue }
    if (h.type === 'object') {
      if (!object) {
        // "Stolen" is the plot, not the look: the story says so itself ("who stole the violin").
        const adj = pendingAdjective && adjacent(text, pendingAdjective.end, h.at) && pendingAdjective.entry.id !== 'stolen' ? pendingAdjective.entry : null
        object = { entry: h.entry, adjective: adj }
      }
      continue
    }
    if (h.type === 'place') continue
    // "Their missing dog": what the story is after, not one of its cast.
    if (h.type === 'kind' && h.entry.sought && pendingAdjective && SEEKING.has(pendingAdjective.entry.id) && adjacent(text, pendingAdjective.end, h.at)) {
      const seeking = pendingAdjective.entry
      pendingAdjective = null
      const name = h.entry.sought[genderOf(h.entry, null, h.text) === 'f' ? 'f' : 'm']
      // "The lost sister" keeps its adjective; "missing" and "stolen" are the plot, which the story tells itself ("who stole the dog").
      object ??= { entry: { id: `sought-${h.entry.id}`, name, re: h.entry.re }, adjective: seeking.id === 'lost' ? seeking : null }
      continue
    }
    const joinsLast = last !== null && adjacent(text, last.end, h.at) &&
      ((h.type === 'kind' && last.being.kind === null) || (h.type === 'profession' && last.being.profession === null))
    if (joinsLast && last) {
      if (h.type === 'kind') last.being.kind = h.entry
      else last.being.profession = h.entry
      last.words += ` ${h.text}`
      last.being.gender = genderOf(last.being.kind, last.being.profession, last.words) ?? last.being.gender
      last.end = h.end
      continue
    }
    const count = pendingCount && h.at - pendingCount.end < 24 ? pendingCount.n : looksPlural(h.text) ? 2 : 1
    pendingCount = null
    const between = last ? text.slice(last.end, h.at) : ''
    const old = pendingAdjective !== null && pendingAdjective.entry.id === 'old' && adjacent(text, pendingAdjective.end, h.at)
    if (old) pendingAdjective = null
    const being: IdeaBeing = {
      kind: h.type === 'kind' ? h.entry : null,
      profession: h.type === 'profession' ? h.entry : null,
      count: Math.min(3, count),
      gender: null,
      old,
      companion: last !== null && COMPANION.test(between),
    }
    being.gender = genderOf(being.kind, being.profession, h.text)
    beings.push(being)
    last = { being, end: h.end, words: h.text }
    if (beings.length === 1) leadEnd = h.end
  }
  const lead = beings[0]
  if (lead && lead.gender === null) lead.gender = earliest(text.slice(leadEnd), PRONOUNS)

  const places = hits.flatMap((h) => (h.type === 'place' ? [h.entry] : []))
  const place = places.find((p) => p.named) ?? places[0] ?? null
  const weathers = WEATHERS.filter((w) => [...text.matchAll(w.re)].length > 0).map((w) => w.id)
  return {
    beings,
    place,
    weather: weathers.find((w) => w !== 'night') ?? null,
    night: weathers.includes('night'),
    object,
    genre: genreOf(text),
    action: earliest(text, ACTIONS),
  }
}
