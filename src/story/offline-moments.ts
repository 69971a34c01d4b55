import type { Shot } from '../contract/index.ts'
import type { SpotTag } from './offline-places.ts'

// The story arc as a sequence of moments; each moment is a small run of panels with who is in frame,
// what happens (English art direction) and which pool of lines is spoken.
export type Beat = 'setup' | 'trouble' | 'turn' | 'climax' | 'resolution'
export type Who = 'hero' | 'ally' | 'villain' | 'helper' | 'mentor'

export interface LineSpec {
  who: Who | 'caption' | 'sfx'
  pool: string
  kind?: 'speech' | 'thought' | 'shout'
  // Who the line is addressed to, when it is not the obvious partner.
  to?: Who
}

export interface PanelSpec {
  shots: Shot[]
  cast: Who[]
  action: string
  lines: LineSpec[]
  // 0 = must keep; higher numbers are dropped first when a page has few panels.
  p: number
  establishing?: 'city' | 'spot' | 'final'
  needsMentor?: boolean
}

export type MomentId = 'open' | 'meet' | 'call' | 'clue' | 'villain' | 'setback' | 'regroup' | 'discovery' | 'plan' | 'chase' | 'showdown' | 'victory' | 'ending'

export interface MomentSpec {
  id: MomentId
  beat: Beat
  // Where it happens: a tag to draw a new spot by, or 'keep' to stay where the story is.
  spot: SpotTag | 'keep'
  panels: PanelSpec[]
}

const P = (shots: Shot[], cast: Who[], action: string, lines: LineSpec[], p: number, extra: Partial<PanelSpec> = {}): PanelSpec => ({ shots, cast, action, lines, p, ...extra })

export const MOMENTS: Record<MomentId, MomentSpec> = {
  open: {
    id: 'open', beat: 'setup', spot: 'home', panels: [
      P(['establishing'], [], 'Establishing view of {city}', [{ who: 'caption', pool: 'open.caption' }], 1, { establishing: 'city' }),
      P(['medium', 'medium-wide'], ['hero'], '{hero} {idle}', [{ who: 'hero', pool: 'open.hero' }], 2),
      P(['close-up'], ['hero'], 'Close on {hero}, eyes narrowed, thinking', [{ who: 'hero', pool: 'open.thought', kind: 'thought' }], 3),
      P(['medium-wide', 'wide'], ['ally', 'hero'], '{ally} bursts in, out of breath, and {hero} turns around', [{ who: 'ally', pool: 'open.ally' }], 1),
    ],
  },
  meet: {
    id: 'meet', beat: 'setup', spot: 'keep', panels: [
      P(['medium-wide'], ['ally', 'hero'], '{ally} talks urgently to {hero}', [{ who: 'ally', pool: 'meet.ally' }], 3),
      P(['over-the-shoulder'], ['ally', 'hero'], 'Over {ally}\'s shoulder: {hero} listens carefully', [{ who: 'hero', pool: 'meet.hero' }], 2),
      P(['close-up'], ['ally'], 'Close on {ally}, worried, telling the news about {obj}', [{ who: 'ally', pool: 'news' }], 0),
      P(['medium'], ['hero'], '{hero} grabs a coat, determined', [{ who: 'hero', pool: 'meet.decide' }], 1),
    ],
  },
  call: {
    id: 'call', beat: 'setup', spot: 'out', panels: [
      P(['wide', 'establishing'], ['hero', 'ally'], '{hero} and {ally} set off together', [{ who: 'caption', pool: 'call.caption' }], 2),
      P(['medium', 'low-angle'], ['hero'], '{hero} looks ahead with determination', [{ who: 'hero', pool: 'call.hero' }], 1),
      P(['medium'], ['ally'], '{ally} hurries after {hero}, grinning', [{ who: 'ally', pool: 'call.ally' }], 3),
    ],
  },
  clue: {
    id: 'clue', beat: 'trouble', spot: 'out', panels: [
      P(['establishing', 'wide'], [], '', [{ who: 'caption', pool: 'clue.caption' }], 2, { establishing: 'spot' }),
      P(['medium', 'medium-wide'], ['hero', 'ally'], '{hero} crouches and examines the ground while {ally} keeps watch', [{ who: 'hero', pool: 'clue.hero' }], 1),
      P(['extreme-close-up'], [], 'Extreme close-up of a clue: {clue}', [{ who: 'caption', pool: 'clue.thought' }], 0),
      P(['over-the-shoulder'], ['hero', 'ally'], 'Over {hero}\'s shoulder: {ally} looks uneasy', [{ who: 'ally', pool: 'clue.ally' }], 3),
    ],
  },
  villain: {
    id: 'villain', beat: 'trouble', spot: 'danger', panels: [
      P(['low-angle'], ['villain'], '{villain} steps out of the shadows, looming', [{ who: 'villain', pool: 'villain.villain', to: 'hero' }], 0),
      P(['close-up'], ['hero'], 'Close on {hero}, shocked', [{ who: 'hero', pool: 'villain.hero', to: 'villain' }], 1),
      P(['medium-wide'], ['villain', 'hero', 'ally'], '{villain} faces {hero} and {ally}', [{ who: 'villain', pool: 'villain.taunt', to: 'hero' }], 2),
      P(['high-angle'], ['hero', 'ally'], 'High view: {hero} and {ally} look small and alone', [{ who: 'caption', pool: 'villain.caption' }], 3),
    ],
  },
  setback: {
    id: 'setback', beat: 'trouble', spot: 'keep', panels: [
      P(['wide'], ['villain', 'hero', 'ally'], '{villain} escapes as {hero} stumbles and falls', [{ who: 'sfx', pool: 'sfx.crash' }], 1),
      P(['medium'], ['ally'], '{ally} gets up, rubbing a bruised elbow', [{ who: 'ally', pool: 'setback.ally' }], 2),
      P(['high-angle'], ['hero', 'ally'], '{hero} and {ally} sit on the ground, defeated', [{ who: 'caption', pool: 'setback.caption' }], 3),
      P(['close-up'], ['hero'], 'Close on {hero}, frustrated', [{ who: 'hero', pool: 'setback.hero' }], 0),
    ],
  },
  regroup: {
    id: 'regroup', beat: 'turn', spot: 'quiet', panels: [
      P(['establishing', 'wide'], [], '', [{ who: 'caption', pool: 'regroup.caption' }], 2, { establishing: 'spot' }),
      P(['medium'], ['ally', 'hero'], '{ally} offers {hero} a warm cup', [{ who: 'ally', pool: 'regroup.ally' }], 1),
      P(['medium', 'over-the-shoulder'], ['hero', 'ally'], '{hero} stares into the distance', [{ who: 'hero', pool: 'regroup.hero' }], 0),
      P(['close-up'], ['hero'], 'Close on {hero}, deep in thought', [{ who: 'hero', pool: 'regroup.thought', kind: 'thought' }], 3),
    ],
  },
  discovery: {
    id: 'discovery', beat: 'turn', spot: 'keep', panels: [
      P(['medium-wide'], ['mentor', 'hero'], '{mentor} welcomes {hero}', [{ who: 'mentor', pool: 'mentor.intro', to: 'hero' }], 3, { needsMentor: true }),
      P(['medium'], ['helper', 'hero'], '{helper} shows {hero} an old photograph', [{ who: 'helper', pool: 'discovery.helper', to: 'hero' }], 1),
      P(['extreme-close-up'], ['hero'], 'Extreme close-up on {hero}\'s eyes, widening', [{ who: 'hero', pool: 'discovery.hero', kind: 'shout' }], 0),
      P(['medium-wide'], ['hero', 'helper'], '{hero} explains, pointing at a map', [{ who: 'hero', pool: 'discovery.explain', to: 'helper' }], 2),
    ],
  },
  plan: {
    id: 'plan', beat: 'turn', spot: 'keep', panels: [
      P(['medium-wide'], ['hero', 'ally'], '{hero} and {ally} lean over a map, planning', [{ who: 'hero', pool: 'plan.hero' }], 0),
      P(['over-the-shoulder'], ['hero', 'ally'], 'Over {hero}\'s shoulder: {ally} raises an eyebrow', [{ who: 'ally', pool: 'plan.ally' }], 2),
      P(['close-up'], ['hero'], 'Close on {hero}, determined', [{ who: 'caption', pool: 'plan.caption' }], 1),
    ],
  },
  chase: {
    id: 'chase', beat: 'climax', spot: 'out', panels: [
      P(['wide'], ['hero', 'ally'], '{hero} and {ally} run at full speed', [{ who: 'sfx', pool: 'sfx.run' }], 1),
      P(['low-angle'], ['hero'], '{hero} leaps over an obstacle', [{ who: 'hero', pool: 'chase.hero', kind: 'shout' }], 0),
      P(['medium'], ['ally'], '{ally} runs, panting', [{ who: 'ally', pool: 'chase.ally', kind: 'shout' }], 2),
      P(['establishing'], [], '', [{ who: 'caption', pool: 'chase.caption' }], 3, { establishing: 'final' }),
    ],
  },
  showdown: {
    id: 'showdown', beat: 'climax', spot: 'final', panels: [
      P(['low-angle'], ['villain'], '{villain} stands guard over {obj}, triumphant', [{ who: 'villain', pool: 'showdown.villain', to: 'hero' }], 1),
      P(['medium-wide'], ['hero', 'villain'], '{hero} stands firm before {villain}', [{ who: 'hero', pool: 'showdown.hero', to: 'villain' }], 0),
      P(['wide'], ['hero', 'ally', 'villain'], '{hero} and {ally} spring into action against {villain}', [{ who: 'sfx', pool: 'sfx.hit' }], 1),
      P(['close-up'], ['villain'], 'Close on {villain}, defeated and furious', [{ who: 'villain', pool: 'showdown.defeat', kind: 'shout', to: 'hero' }], 2),
      P(['medium'], ['ally'], '{ally} catches a breath', [{ who: 'ally', pool: 'showdown.ally' }], 3),
    ],
  },
  victory: {
    id: 'victory', beat: 'resolution', spot: 'keep', panels: [
      P(['wide', 'medium-wide'], ['hero', 'ally'], '{hero} and {ally} with {obj}, safe at last', [{ who: 'caption', pool: 'victory.caption' }], 0),
      P(['medium'], ['ally'], '{ally} cheers', [{ who: 'ally', pool: 'victory.ally' }], 2),
      P(['medium'], ['hero'], '{hero} smiles, tired and happy', [{ who: 'hero', pool: 'victory.hero' }], 1),
    ],
  },
  ending: {
    id: 'ending', beat: 'resolution', spot: 'out', panels: [
      P(['establishing'], [], 'Establishing view of {city} in the morning', [{ who: 'caption', pool: 'ending.caption' }], 1, { establishing: 'city' }),
      P(['medium-wide'], ['hero', 'ally'], '{hero} and {ally} share breakfast and laugh', [{ who: 'hero', pool: 'ending.hero' }], 2),
      P(['close-up'], ['ally'], 'Close on {ally}, grinning', [{ who: 'ally', pool: 'ending.ally' }], 3),
      P(['wide'], ['hero', 'ally'], '{hero} and {ally} walk away into the morning', [{ who: 'caption', pool: 'ending.final' }], 0),
    ],
  },
}

export const ORDER: MomentId[] = ['open', 'meet', 'call', 'clue', 'villain', 'setback', 'regroup', 'discovery', 'plan', 'chase', 'showdown', 'victory', 'ending']
// Which moments survive when pages are few, most essential first.
const PRIORITY: MomentId[] = ['ending', 'open', 'meet', 'showdown', 'discovery', 'villain', 'setback', 'victory', 'clue', 'plan', 'chase', 'regroup', 'call']
// Moments a long comic repeats (each in its own beat), in the order they are added.
const REPEATS: MomentId[] = ['clue', 'setback', 'chase', 'villain', 'discovery', 'clue', 'regroup', 'chase', 'setback', 'plan', 'clue']

// Which moments go on which page: short comics fold several moments onto a page, long ones repeat the middle.
export function planPages(pages: number): MomentId[][] {
  if (pages >= ORDER.length) {
    const chosen = [...ORDER]
    for (const r of REPEATS.slice(0, pages - ORDER.length)) chosen.splice(chosen.lastIndexOf(r) + 1, 0, r)
    return chosen.map((m) => [m])
  }
  const count = Math.min(ORDER.length, pages * 2 + 2)
  const chosen = ORDER.filter((m) => PRIORITY.indexOf(m) < count)
  const out: MomentId[][] = []
  let at = 0
  for (let page = 0; page < pages; page++) {
    const size = Math.floor(chosen.length / pages) + (page < chosen.length % pages ? 1 : 0)
    out.push(chosen.slice(at, at + size))
    at += size
  }
  return out
}
