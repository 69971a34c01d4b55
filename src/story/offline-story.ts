import type { Language, ScriptLine, ScriptPanel, Shot } from '../contract/index.ts'
import { pick, type Random } from '../platform/random.ts'
import { displayName, type CastMember } from './offline-cast.ts'
import { capitalize, fill, titleCase, withAdjective, type Gender, type Slots, type Term } from './offline-grammar.ts'
import type { IdeaParse } from './offline-idea.ts'
import { ADJECTIVES, DEFAULT_OBJECTS, GENRES, OBJECTS, PLACES, WEATHERS, type Action, type Genre, type PlaceEntry, type Weather } from './offline-lexicon.ts'
import { MOMENTS, planPages, type Beat, type LineSpec, type MomentId, type PanelSpec, type Who } from './offline-moments.ts'
import { OBJECT_SPOTS, SPOTS, type Spot, type SpotTag } from './offline-places.ts'
import type { LinePools } from './offline-pools.ts'

// The story's frame: what kind of story, where, in what weather, and what everyone is after.
export interface StoryFrame {
  genre: Genre
  // The idea's own verb for the object it names ("fix a rocket"), else the genre says what the heroes are after.
  action: Action | null
  place: PlaceEntry
  weather: Weather | null
  night: boolean
  object: Term
  spots: Spot[]
  home: Spot
  final: Spot
  clues: Array<{ en: string; uk: string; g: Gender }>
  duo: boolean
}

const CLUES: StoryFrame['clues'] = [
  { en: 'a black feather', uk: 'чорне перо', g: 'n' },
  { en: 'a torn ticket', uk: 'порваний квиток', g: 'm' },
  { en: 'a muddy footprint', uk: 'брудний слід', g: 'm' },
  { en: 'a brass button', uk: 'мідний ґудзик', g: 'm' },
  { en: 'a scrap of a map', uk: 'клаптик мапи', g: 'm' },
  { en: 'a strange glowing scale', uk: 'дивна лусочка, що світиться', g: 'f' },
  { en: 'an oily little gear', uk: 'змащена шестірня', g: 'f' },
  { en: 'a note written in a hurry', uk: 'поспіхом написана записка', g: 'f' },
  { en: 'a silver thread', uk: 'срібна нитка', g: 'f' },
]

const DEFAULT_PLACES: Record<Genre, string[]> = {
  mystery: ['city'], rescue: ['city', 'village'], quest: ['forest', 'mountains', 'sea', 'desert'],
  scifi: ['space'], fantasy: ['castle', 'forest'], spooky: ['village', 'castle', 'city'],
}

function placeById(id: string): PlaceEntry {
  return PLACES.find((p) => p.id === id) as PlaceEntry
}

function shuffled<T>(rand: Random, items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

export function frameStory(idea: IdeaParse, rand: Random): StoryFrame {
  const genre = idea.genre ?? pick(rand, GENRES)
  const objectSetting = idea.object?.entry.setting
  const place = idea.place ?? (objectSetting ? PLACES.find((p) => p.setting === objectSetting && !p.named) as PlaceEntry : placeById(pick(rand, DEFAULT_PLACES[genre])))
  let object: Term
  let objectPlaces: string[] = []
  if (idea.object) {
    object = idea.object.adjective ? withAdjective(idea.object.entry.name, idea.object.adjective.adj) : idea.object.entry.name
    objectPlaces = idea.object.entry.places ?? []
  } else {
    const [objectId, adjId] = pick(rand, DEFAULT_OBJECTS[genre])
    const entry = OBJECTS.find((o) => o.id === objectId)
    const adj = ADJECTIVES.find((a) => a.id === adjId)
    if (!entry || !adj) throw new Error(`offline lexicon misses ${objectId}/${adjId}`)
    object = withAdjective(entry.name, adj.adj)
    objectPlaces = entry.places ?? []
  }
  const extra = objectPlaces.map((id) => OBJECT_SPOTS[id]).filter((s): s is Spot => s !== undefined)
  if (place.seaside && place.setting === 'city') extra.push(OBJECT_SPOTS.harbour)
  const spots = [...SPOTS[place.setting], ...extra.filter((e) => !SPOTS[place.setting].some((s) => s.id === e.id))]
  const homes = spots.filter((s) => s.tags.includes('home'))
  const finals = extra.filter((s) => s.tags.includes('final'))
  return {
    genre, action: idea.object ? idea.action : null, place, weather: idea.weather, night: idea.night, object, spots,
    home: pick(rand, homes.length > 0 ? homes : spots),
    final: pick(rand, finals.length > 0 ? finals : spots.filter((s) => s.tags.includes('final'))),
    clues: shuffled(rand, CLUES),
    duo: (idea.beings[0]?.count ?? 1) >= 2,
  }
}

// One panel as laid out, before anyone speaks.
export interface PlannedPanel {
  shot: Shot
  scene: string
  cast: CastMember[]
  lines: LineSpec[]
  beat: Beat
  moment: MomentId | 'filler'
  spot: Spot
  clue: number
}

export interface PlannedPage {
  panels: PlannedPanel[]
}

const SUBSTITUTE: Partial<Record<Shot, Shot>> = {
  'medium': 'medium-wide', 'medium-wide': 'medium', 'close-up': 'medium', 'wide': 'medium-wide',
  'establishing': 'wide', 'over-the-shoulder': 'medium', 'low-angle': 'medium', 'high-angle': 'wide', 'extreme-close-up': 'close-up',
}
const FILLER_SHOTS: Shot[] = ['medium', 'over-the-shoulder', 'close-up', 'medium-wide']

function timeOf(beat: Beat, night: boolean): 'morning' | 'dusk' | 'night' | 'dawn' {
  if (night) return beat === 'resolution' ? 'dawn' : 'night'
  return beat === 'setup' || beat === 'resolution' ? 'morning' : beat === 'trouble' ? 'dusk' : 'night'
}

function atmosphere(frame: StoryFrame, beat: Beat, indoor: boolean): string {
  const parts: string[] = []
  if (frame.place.setting !== 'space') {
    const time = timeOf(beat, frame.night)
    parts.push(
      time === 'morning' ? 'in the morning light'
        : time === 'dawn' ? 'at dawn, the sky turning pink'
          : time === 'dusk' ? 'at dusk, the sky turning orange'
            : indoor ? 'at night, lamps lit' : 'at night under a dark sky with the moon',
    )
  }
  const ending = beat === 'resolution'
  switch (frame.weather) {
    case 'rain': parts.push(ending ? 'under a clearing sky, puddles shining' : indoor ? 'rain streaking the window' : 'in heavy rain with puddles'); break
    case 'snow': parts.push(indoor ? 'snow falling outside the window' : ending ? 'fresh snow sparkling' : 'in falling snow'); break
    case 'fog': if (!indoor && !ending) parts.push('in thick fog'); break
    case null: break
  }
  return parts.join(', ')
}

function cityPhrase(place: PlaceEntry): string {
  return place.named || place.setting === 'city' ? ` ${place.enIn} ${place.name.en}` : ''
}

function sceneText(frame: StoryFrame, action: string, spot: Spot, beat: Beat, establishing: PanelSpec['establishing']): string {
  const air = (indoor: boolean) => {
    const a = atmosphere(frame, beat, indoor)
    return a ? `, ${a}` : ''
  }
  if (establishing === 'city') return `Establishing view of ${frame.place.name.en}: ${frame.place.landmark}${air(false)}`
  const where = establishing === 'final' || establishing === 'spot' ? `Establishing view of ${spot.scene}` : `${capitalize(action)}. ${capitalize(spot.scene)}`
  return `${where}${cityPhrase(frame.place)}${air(spot.indoor)}`
}

function memberFor(cast: CastMember[], who: Who): CastMember | undefined {
  const byRole = (r: CastMember['role']) => cast.find((c) => c.role === r)
  if (who === 'helper') return byRole('mentor') ?? byRole('ally')
  return byRole(who)
}

export function layoutPages(frame: StoryFrame, cast: CastMember[], pages: number, lang: Language, rand: Random): PlannedPage[] {
  const plan = planPages(pages)
  const hasMentor = cast.some((c) => c.role === 'mentor')
  const friend = cast.find((c) => c.role === 'friend')
  let current = frame.home
  let lastShot: Shot | null = null
  let clue = 0
  const visited = new Set<string>([current.id])

  const spotFor = (tag: SpotTag | 'keep'): Spot => {
    if (tag === 'keep') return current
    if (tag === 'home') return frame.home
    if (tag === 'final') return frame.final
    const fits = frame.spots.filter((s) => s.tags.includes(tag) && s.id !== current.id && s.id !== frame.final.id)
    const fresh = fits.filter((s) => !visited.has(s.id))
    const options = fresh.length > 0 ? fresh : fits.length > 0 ? fits : frame.spots.filter((s) => s.id !== current.id)
    return pick(rand, options)
  }

  const shotAfter = (candidates: Shot[]): Shot => {
    const shot = candidates.find((s) => s !== lastShot) ?? SUBSTITUTE[candidates[0]] ?? 'medium'
    lastShot = shot
    return shot
  }

  const castOf = (who: Who[], shot: Shot): CastMember[] => {
    const members = who.filter((w) => w !== 'mentor' || hasMentor).map((w) => memberFor(cast, w)).filter((m): m is CastMember => m !== undefined)
    const group = who.includes('hero') && who.includes('ally') && (shot === 'wide' || shot === 'medium-wide' || shot === 'high-angle')
    if (friend && group) members.push(friend)
    return [...new Map(members.map((m) => [m.key, m])).values()]
  }

  return plan.map((moments, pageIndex) => {
    const available = moments.map((id) => MOMENTS[id].panels.filter((p) => !p.needsMentor || hasMentor))
    const total = available.reduce((n, a) => n + a.length, 0)
    const wanted = moments.length === 1 ? pick(rand, [3, 4, 4, 5, 5, 6]) : Math.min(6, moments.length * 2 + (rand() < 0.5 ? 1 : 0))
    const budget = Math.max(3, Math.min(wanted, total + 1, 6))
    const alloc = moments.map(() => 0)
    for (let left = Math.min(budget, total), j = 0; left > 0; j = (j + 1) % moments.length) {
      if (alloc[j] < available[j].length) { alloc[j]++; left-- }
    }

    const panels: PlannedPanel[] = []
    moments.forEach((id, j) => {
      const moment = MOMENTS[id]
      const spot = spotFor(moment.spot)
      current = spot
      visited.add(spot.id)
      const keep = new Set([...available[j]].sort((a, b) => a.p - b.p).slice(0, alloc[j]))
      for (const spec of available[j]) {
        if (!keep.has(spec)) continue
        const panelSpot = spec.establishing === 'final' ? frame.final : spot
        const shot = shotAfter(spec.shots)
        const members = castOf(spec.cast, shot)
        const action = fill(spec.action, sceneSlots(frame, cast, clue, lang), 'en')
        panels.push({
          shot, scene: sceneText(frame, action, panelSpot, moment.beat, spec.establishing), cast: members,
          lines: spec.lines, beat: moment.beat, moment: id, spot: panelSpot, clue,
        })
        if (spec.action.includes('{clue}')) clue++
      }
    })

    // A page the moments could not fill gets a short exchange before its last panel.
    while (panels.length < budget) {
      const last = panels[panels.length - 1]
      const beat = last?.beat ?? 'setup'
      const shot = shotAfter(shuffled(rand, FILLER_SHOTS))
      const villainNear = panels.some((p) => p.cast.some((c) => c.role === 'villain'))
      const pair: Who[] = villainNear && beat !== 'resolution' ? ['hero', 'villain'] : ['hero', 'ally']
      const speaker: Who = pageIndex % 2 === panels.length % 2 ? pair[0] : pair[1]
      const members = castOf(shot === 'close-up' ? [speaker] : pair, shot)
      const spot = last?.spot ?? current
      const action = fill(shot === 'close-up' ? `Close on {${speaker}}, talking` : `{${pair[0]}} and {${pair[1]}} talk`, sceneSlots(frame, cast, clue, lang), 'en')
      panels.splice(Math.max(0, panels.length - 1), 0, {
        shot, scene: sceneText(frame, action, spot, beat, undefined), cast: members,
        lines: [{ who: speaker, pool: `${beat}.${speaker}` }], beat, moment: 'filler', spot, clue,
      })
    }
    return { panels }
  })
}

// Scenes name characters as the comic does, so a prompt's scene and its character bible agree.
function sceneSlots(frame: StoryFrame, cast: CastMember[], clue: number, lang: Language): Slots {
  const slots: Slots = {
    obj: frame.object,
    city: frame.place.name,
    clue: { text: frame.clues[clue % frame.clues.length].en, g: 'n' },
  }
  for (const w of ['hero', 'ally', 'villain', 'helper', 'mentor'] as Who[]) {
    const m = memberFor(cast, w)
    if (m) slots[w] = { text: displayName(m, lang), g: m.name.g }
  }
  const hero = memberFor(cast, 'hero')
  if (hero) slots.idle = { text: hero.idle, g: 'n' }
  return slots
}

function inPhrase(place: PlaceEntry, name: Term, lang: Language): string {
  return lang === 'en' ? `${place.enIn} ${name.en}` : `${place.ukIn.prep} ${name.uk[place.ukIn.case]}`
}

// Everything a line template may name, in the comic's language.
export function storySlots(frame: StoryFrame, cast: CastMember[], lang: Language, pools: LinePools): Slots {
  const weatherAdj = WEATHERS.find((w) => w.id === (frame.weather ?? (frame.night ? 'night' : null)))?.adj
  let wcity = frame.place.name
  if (weatherAdj) {
    wcity = withAdjective(frame.place.name, weatherAdj)
    if (!frame.weather) wcity = { ...wcity, en: `${frame.place.name.en} by night` }
  }
  const hero = memberFor(cast, 'hero') as CastMember
  const role = lang === 'en' ? hero.label.en : hero.label.uk
  const slots: Slots = {
    obj: frame.object,
    city: frame.place.name,
    wcity,
    in_city: { text: inPhrase(frame.place, frame.place.name, lang), g: 'n' },
    in_wcity: { text: inPhrase(frame.place, wcity, lang), g: 'n' },
    final_at: { text: frame.final.at[lang], g: 'n' },
    final_name: { text: frame.final.name[lang], g: 'n' },
    hero_role: { text: lang === 'en' ? `${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${role}` : role, g: 'n' },
  }
  for (const w of ['hero', 'ally', 'villain', 'helper', 'mentor'] as Who[]) {
    const m = memberFor(cast, w)
    if (m) slots[w] = m.name
  }
  slots.goal = { text: fill(pools.draw(`goal.${frame.action ?? frame.genre}`), slots, lang), g: 'n' }
  return slots
}

function poolKeys(pool: string, frame: StoryFrame): string[] {
  const cls = frame.place.setting === 'city' ? 'city' : frame.place.setting === 'space' ? 'space' : 'wild'
  const weather = frame.weather ?? (frame.night ? 'night' : null)
  switch (pool) {
    case 'open.caption': return [...(weather ? [`open.caption.${weather}.${cls}`] : []), `open.caption.${cls}`]
    case 'news': return [`news.${frame.genre}`]
    case 'ending.caption': return [...(frame.weather ? [`ending.caption.${frame.weather}`] : []), 'ending.caption']
    case 'sfx.hit': return [frame.genre === 'fantasy' ? 'sfx.magic' : frame.genre === 'scifi' ? 'sfx.zap' : 'sfx.hit']
    default: return [pool]
  }
}

function listenerOf(speaker: Who, spec: LineSpec, panel: PlannedPanel, cast: CastMember[]): CastMember | undefined {
  if (spec.to) return memberFor(cast, spec.to)
  if (speaker === 'hero') return panel.cast.find((c) => c.role === 'villain') ?? memberFor(cast, 'ally')
  return memberFor(cast, 'hero')
}

export function writeLines(panel: PlannedPanel, frame: StoryFrame, cast: CastMember[], lang: Language, pools: LinePools, base: Slots): ScriptPanel {
  const lines: ScriptLine[] = []
  for (const spec of panel.lines) {
    const keys = poolKeys(spec.pool, frame)
    const template = pools.draw(...keys)
    const speaker = spec.who === 'caption' || spec.who === 'sfx' ? undefined : memberFor(cast, spec.who)
    const me = speaker ?? memberFor(cast, 'hero')
    const you = spec.who === 'caption' || spec.who === 'sfx' ? memberFor(cast, 'ally') : listenerOf(spec.who, spec, panel, cast)
    const clue = frame.clues[panel.clue % frame.clues.length]
    const slots: Slots = {
      ...base,
      me: me?.name, you: you?.name,
      here: { text: panel.spot.at[lang], g: 'n' },
      clue: { text: clue[lang], g: clue.g },
    }
    const text = fill(template, slots, lang).slice(0, 600)
    const kind = spec.who === 'caption' ? 'caption' : spec.who === 'sfx' ? 'sfx' : spec.kind ?? 'speech'
    lines.push({ kind, speaker: speaker?.key ?? null, text })
  }
  return { shot: panel.shot, scene: panel.scene.slice(0, 1000), characters: panel.cast.map((c) => c.key), lines }
}

export function writeTitle(frame: StoryFrame, lang: Language, pools: LinePools, slots: Slots, rand: Random): string {
  const weather = frame.weather ?? (frame.night ? 'night' : null)
  const key = weather && rand() < 0.35 ? `title.${weather}` : `title.${frame.genre}`
  const raw = fill(pools.draw(key), slots, lang)
  return (lang === 'en' ? titleCase(raw) : capitalize(raw)).slice(0, 120)
}

export function writeSummary(frame: StoryFrame, lang: Language, pools: LinePools, slots: Slots): string {
  return fill(pools.draw(frame.duo ? 'summary.duo' : 'summary.solo'), slots, lang).slice(0, 2000)
}
