import type { CharacterLook } from '../contract/index.ts'
import { pick, seededRandom } from '../platform/random.ts'
import { darken, lighten, luminance, mix } from '../styles/colour.ts'
import { HEAD_R } from '../pages/framing.ts'
import { colourOf, findColour } from './sketch-colours.ts'
import { n, pts, w2, type Pen } from './sketch-svg.ts'

// A character as the sketch artist draws them: everything comes from the bible (look) and the
// character's own seed, never from the panel, so they look the same in every panel.
export type Body = 'human' | 'fox' | 'cat' | 'dog' | 'wolf' | 'bear' | 'owl' | 'bird' | 'rabbit' | 'mouse' | 'hedgehog' | 'frog' | 'robot' | 'dragon' | 'ghost' | 'alien'
type HairStyle = 'short' | 'messy' | 'spiky' | 'curly' | 'long' | 'ponytail' | 'bob' | 'braid' | 'bun' | 'slick' | 'bald' | 'wild'
type Hat = 'fedora' | 'cap' | 'crown' | 'tiara' | 'helmet' | 'pointed' | 'beret' | 'tricorn' | 'tophat' | 'bowler' | 'chef' | 'headband' | 'hood'
type Top = 'coat' | 'robe' | 'dress' | 'hoodie' | 'sweater' | 'jacket' | 'armour' | 'spacesuit' | 'overalls' | 'apron' | 'suit' | 'vest' | 'plate' | 'shirt'

export interface FigureSpec {
  body: Body
  skin: string
  second: string
  hair: string
  hairStyle: HairStyle
  beard: boolean
  moustache: boolean
  eye: string
  top: Top
  topColour: string
  accent: string
  legs: string | null
  shoes: string
  hat: Hat | null
  hatColour: string
  cape: string | null
  glasses: 'round' | 'goggles' | 'forehead-goggles' | 'monocle' | 'eyepatch' | 'dark' | null
  scarf: boolean
  tie: boolean
  belt: boolean
  bag: boolean
  chain: boolean
  tail: 'bushy' | 'thin' | 'round' | 'dragon' | null
  stripes: boolean
  freckles: boolean
  width: number
  height: number
  young: boolean
  old: boolean
}

const BODY_WORDS: Array<[Body, RegExp]> = [
  ['robot', /\b(robot|android|droid|faceplate|optical)\b/],
  ['ghost', /\b(ghost|ghostly|phantom|spectral|translucent)\b/],
  ['dragon', /\b(dragon|dinosaur|scales)\b/],
  ['alien', /\b(alien|antennae|martian)\b/],
  ['owl', /\bowl\b/],
  ['bird', /\b(raven|crow|bird|beak|sparrow|pigeon|penguin|duck|feathers)\b/],
  ['fox', /\b(fox|vixen)\b/],
  ['wolf', /\bwolf\b/],
  ['cat', /\b(cat|kitten|feline|lion|lioness|tiger|tigress|leopard|lynx)\b/],
  ['dog', /\b(dog|puppy|hound)\b/],
  // "Panda eyes" are a tired human's dark circles, not a panda.
  ['bear', /\b(bear|panda(?! eyes))\b/],
  ['rabbit', /\b(rabbit|bunny|hare)\b/],
  ['mouse', /\b(mouse|rat|mice|squirrel)\b/],
  ['hedgehog', /\b(hedgehog|quills)\b/],
  ['frog', /\b(frog|toad)\b/],
]

const SKIN_TONES = ['#f3cdb1', '#eebf9c', '#d9a87f', '#c68d5c', '#b58158', '#7a4a2e']
const HAIR_TONES = ['#222226', '#4a2e1c', '#7b3f22', '#8f3a1f', '#e3c06a', '#b5502c']
const CLOTH_TONES = ['#263a66', '#7a1f33', '#2f5d3a', '#2a8c8c', '#d9aa2b', '#74406e', '#a8462f', '#4a6d9c']

function clauses(text: string): string[] {
  return text.toLowerCase().split(/,|;| and | with | over /).map((c) => c.trim()).filter(Boolean)
}

function clauseWith(text: string, re: RegExp): string | null {
  return clauses(text).find((c) => re.test(c)) ?? null
}

function topOf(outfit: string): Top {
  const o = outfit.toLowerCase()
  const order: Array<[Top, RegExp]> = [
    ['spacesuit', /space ?suit/], ['armour', /armou?r|tabard/], ['robe', /robe|gown/], ['dress', /dress/],
    ['coat', /coat|raincoat|trench/], ['overalls', /overalls|jumpsuit/], ['apron', /apron|smock/], ['hoodie', /hoodie/],
    ['jacket', /jacket|blazer/], ['sweater', /sweater|cardigan|turtleneck|jumper/], ['plate', /plate|plating/],
    ['suit', /suit|uniform/], ['vest', /vest|waistcoat/],
  ]
  return order.find(([, re]) => re.test(o))?.[0] ?? 'shirt'
}

function hatOf(outfit: string): Hat | null {
  const o = outfit.toLowerCase()
  if (/helmet under|helmet in (his|her|the) (arm|hand)/.test(o)) return null
  const order: Array<[Hat, RegExp]> = [
    ['tophat', /top hat/], ['bowler', /bowler/], ['tricorn', /tricorn/], ['pointed', /pointed[^,]*hat|witch hat/],
    ['fedora', /fedora/], ['beret', /beret/], ['chef', /chef hat|chef's hat/], ['crown', /crown/], ['tiara', /tiara/],
    ['helmet', /helmet/], ['cap', /\bcap\b/], ['headband', /headband|bandana/], ['hood', /bonnet|hooded|\bhood\b/], ['fedora', /\bhat\b/],
  ]
  return order.find(([, re]) => re.test(o))?.[0] ?? null
}

function hairStyleOf(hair: string, rand: () => number): HairStyle {
  const h = hair.toLowerCase()
  const order: Array<[HairStyle, RegExp]> = [
    ['bald', /bald|shaved|no hair/], ['ponytail', /ponytail/], ['braid', /braid|plait/], ['bun', /\bbun\b/],
    ['bob', /bob|bangs|fringe/], ['curly', /curl|afro/], ['spiky', /spik/], ['wild', /wild/], ['messy', /messy|tousled/],
    ['slick', /slick/], ['long', /long/], ['short', /short|cropped/],
  ]
  return order.find(([, re]) => re.test(h))?.[0] ?? pick(rand, ['short', 'messy', 'long', 'curly'] as HairStyle[])
}

// Every visual trait of a character, read from the bible; the character's seed settles what the text leaves open.
export function figureSpec(c: { seed: number; look: CharacterLook }): FigureSpec {
  const rand = seededRandom(c.seed ^ 0x5bd1e995)
  const { face, hair, build, outfit, colors } = c.look
  const anatomy = `${face} ${hair}`.toLowerCase()
  const body = BODY_WORDS.find(([, re]) => re.test(anatomy))?.[0] ?? 'human'
  const human = body === 'human'
  const listed = colors.map((x) => findColour(x))

  const eyeWords = /([a-z-]+(?: [a-z-]+)?) (?:slit |optical |almond )?eyes?\b/.exec(face.toLowerCase())
  const eye = (eyeWords && findColour(eyeWords[1])) ?? pick(rand, ['#4a7a3a', '#3f74c4', '#6b4326', '#8a6a32'])

  const skin = human
    ? findColour(/([a-z -]+) skin/.exec(face.toLowerCase())?.[1] ?? '') ?? listed[0] ?? pick(rand, SKIN_TONES)
    : listed[0] ?? findColour(hair) ?? colourOf(anatomy)
  const second = human ? lighten(skin, 0.3) : listed[1] ?? lighten(skin, 0.55)
  const hairColour = human
    ? findColour(hair) ?? listed[1] ?? pick(rand, HAIR_TONES)
    : listed[1] ?? darken(skin, 0.3)

  const o = outfit.toLowerCase()
  const top = topOf(outfit)
  const topClause = clauseWith(outfit, /coat|robe|gown|dress|hoodie|jacket|blazer|sweater|cardigan|turtleneck|jumper|armou?r|tabard|suit|uniform|overalls|apron|smock|vest|waistcoat|plate|shirt|jumpsuit/)
  const topColour = (topClause && findColour(topClause)) ?? listed[2] ?? findColour(outfit) ?? pick(rand, CLOTH_TONES)
  const hatClause = clauseWith(outfit, /hat|cap|crown|tiara|helmet|beret|headband|bandana|bonnet|hood/)
  const capeClause = clauseWith(outfit, /cape|cloak|shawl|poncho/)
  const accent = listed[3] ?? (clauses(outfit).map((cl) => findColour(cl)).find((x) => x && x !== topColour)) ?? darken(topColour, 0.35)
  const hat = hatOf(outfit)
  const hatColour = (hatClause && findColour(hatClause)) ?? (hat === 'crown' || hat === 'tiara' ? '#d4a52a' : hat === 'chef' ? '#f6f6f2' : accent)
  const cape = capeClause && !/hooded cape/.test(capeClause) || /cloak|cape|wings folded/.test(`${o} ${hair.toLowerCase()}`)
    ? (capeClause && findColour(capeClause)) ?? (/wings folded/.test(hair.toLowerCase()) ? skin : darken(accent, 0.2))
    : null

  const legs = /jeans|denim/.test(o) ? '#4a6d9c'
    : top === 'overalls' || top === 'spacesuit' ? topColour
      : human || /trousers|pants|suit|uniform/.test(o) ? mix(darken(topColour, 0.45), '#2e3440', 0.4)
        : null
  const goggles = /goggles/.test(`${o} ${face.toLowerCase()}`)
  const glasses = /monocle/.test(face.toLowerCase()) ? 'monocle'
    : /eyepatch/.test(face.toLowerCase()) ? 'eyepatch'
      : goggles ? (/forehead|on the head|up\b/.test(`${o} ${face.toLowerCase()}`) ? 'forehead-goggles' : 'goggles')
        : /dark glasses|sunglasses/.test(`${o} ${face.toLowerCase()}`) ? 'dark'
          : /glasses|spectacles/.test(`${o} ${face.toLowerCase()}`) ? 'round' : null

  const b = build.toLowerCase()
  const width = /stocky|broad|round|plump|chubby|burly|huge|boxy|big/.test(b) ? 1.25 : /slim|slender|thin|skinny|lanky|bony|wiry/.test(b) ? 0.86 : 1
  const young = /child|kid\b|young/.test(b)
  const old = /stooped|elderly|\bold\b/.test(b) || /wrinkled/.test(face.toLowerCase())
  const height = young ? 0.8 : /huge/.test(b) ? 1.12 : /tall|lanky|long-legged/.test(b) ? 1.07 : /short|small|tiny|little/.test(b) ? 0.9 : 1
  const tail = body === 'fox' || body === 'wolf' || (body === 'dog' && /tail/.test(hair)) ? 'bushy'
    : body === 'cat' || body === 'mouse' ? 'thin'
      : body === 'rabbit' ? 'round'
        : body === 'dragon' ? 'dragon' : null

  return {
    body, skin, second, hair: hairColour,
    hairStyle: human ? hairStyleOf(hair, rand) : 'short',
    beard: /beard/.test(`${hair} ${face}`.toLowerCase()),
    moustache: /moustache|mustache/.test(face.toLowerCase()),
    eye, top, topColour, accent,
    legs, shoes: body === 'robot' ? darken(skin, 0.4) : '#3a2a22',
    hat, hatColour, cape, glasses,
    scarf: /scarf/.test(o), tie: /\btie\b|bow tie/.test(o), belt: /belt/.test(o), bag: /backpack|bag|satchel|camera|case on/.test(o),
    chain: /chain|medallion|necklace|brooch|badge/.test(o),
    tail, stripes: /tabby|striped fur|stripes on/.test(hair.toLowerCase()), freckles: /freckle/.test(face.toLowerCase()),
    width, height, young, old,
  }
}

export type Mood = 'smile' | 'grin' | 'open' | 'frown' | 'flat' | 'worried'
export type Arms = 'down' | 'wave' | 'point' | 'hips' | 'up' | 'run' | 'hold'
export interface Pose {
  arms: Arms
  legs: 'stand' | 'walk' | 'run'
  mood: Mood
}

interface Geometry {
  r: number
  headY: number
  shoulderY: number
  hipY: number
  sw: number
  hw: number
  limbW: number
  armLen: number
  legLen: number
}

function geometry(spec: FigureSpec, headScale: number): Geometry {
  const r = HEAD_R * headScale * (spec.young ? 1.12 : 1) * (spec.body === 'alien' ? 1.15 : 1)
  const headY = -100 + r
  const shoulderY = headY + r * 0.9 + 1.5
  const torso = -shoulderY * 0.47
  const hipY = shoulderY + torso
  const w = spec.width
  return { r, headY, shoulderY, hipY, sw: 12 * w, hw: 9 * w, limbW: 6 * Math.min(1.2, Math.max(0.88, w)), armLen: torso * 1.08, legLen: -hipY }
}

// ---------- heads (identity) ----------

function ears(spec: FigureSpec, pen: Pen, r: number): string {
  const inner = spec.body === 'fox' || spec.body === 'wolf' ? '#2a2a2a' : '#f2a7b5'
  const pair = (f: (s: number) => string) => f(-1) + f(1)
  switch (spec.body) {
    case 'fox': case 'wolf': case 'cat': {
      const tall = spec.body === 'cat' ? 1.3 : 1.55
      return pair((s) => pen.path(pts([[s * 0.25 * r, -0.8 * r], [s * 0.82 * r, -tall * r], [s * 0.98 * r, -0.35 * r]]) + 'Z', spec.skin)
        + pen.path(pts([[s * 0.45 * r, -0.75 * r], [s * 0.8 * r, -(tall - 0.3) * r], [s * 0.85 * r, -0.5 * r]]) + 'Z', spec.body === 'cat' ? inner : spec.second, 'stroke="none"'))
        + (spec.body === 'fox' ? pair((s) => pen.path(pts([[s * 0.72 * r, -(tall - 0.3) * r], [s * 0.82 * r, -tall * r], [s * 0.9 * r, -(tall - 0.35) * r]]) + 'Z', '#222226', 'stroke="none"')) : '')
    }
    case 'dog':
      return pair((s) => pen.ellipse(s * 0.95 * r, 0.05 * r, 0.3 * r, 0.62 * r, darken(spec.skin, 0.3), `transform="rotate(${s * 14} ${n(s * 0.95 * r)} ${n(0.05 * r)})"`))
    case 'bear':
      return pair((s) => pen.circle(s * 0.72 * r, -0.78 * r, 0.32 * r, spec.skin) + pen.circle(s * 0.72 * r, -0.78 * r, 0.16 * r, spec.second, 'stroke="none"'))
    case 'mouse':
      return pair((s) => pen.circle(s * 0.88 * r, -0.62 * r, 0.5 * r, spec.skin) + pen.circle(s * 0.88 * r, -0.62 * r, 0.3 * r, inner, 'stroke="none"'))
    case 'rabbit':
      return pair((s) => pen.ellipse(s * 0.38 * r, -1.45 * r, 0.24 * r, 0.75 * r, spec.skin, `transform="rotate(${s * 10} ${n(s * 0.38 * r)} ${n(-1.45 * r)})"`)
        + pen.ellipse(s * 0.38 * r, -1.4 * r, 0.12 * r, 0.55 * r, inner, `stroke="none" transform="rotate(${s * 10} ${n(s * 0.38 * r)} ${n(-1.4 * r)})"`))
    case 'owl':
      return pair((s) => pen.path(pts([[s * 0.35 * r, -0.85 * r], [s * 0.75 * r, -1.3 * r], [s * 0.85 * r, -0.6 * r]]) + 'Z', darken(spec.skin, 0.15)))
    case 'human':
      return pair((s) => pen.circle(s * 0.97 * r, 0.1 * r, 0.2 * r, spec.skin))
    default:
      return ''
  }
}

function headShape(spec: FigureSpec, pen: Pen, r: number): string {
  switch (spec.body) {
    case 'fox': case 'wolf':
      return pen.path(`M${n(-0.95 * r)} ${n(-0.2 * r)}Q${n(-r)} ${n(-r)} 0 ${n(-r)}Q${n(r)} ${n(-r)} ${n(0.95 * r)} ${n(-0.2 * r)}L${n(1.18 * r)} ${n(0.4 * r)}Q${n(0.5 * r)} ${n(0.55 * r)} 0 ${n(0.95 * r)}Q${n(-0.5 * r)} ${n(0.55 * r)} ${n(-1.18 * r)} ${n(0.4 * r)}Z`, spec.skin)
    case 'robot':
      return pen.rect(-r, -r, 2 * r, 1.85 * r, spec.skin, `rx="${n(0.3 * r)}"`)
    case 'frog':
      return pen.ellipse(0, 0.05 * r, 1.15 * r, 0.9 * r, spec.skin)
    case 'alien':
      return pen.ellipse(0, -0.1 * r, 0.95 * r, 1.1 * r, spec.skin)
    case 'ghost':
      return ''
    default:
      return pen.circle(0, 0, r, spec.skin)
  }
}

function eyes(spec: FigureSpec, pen: Pen, r: number): string {
  const ink = pen.p.roles.ink
  const pair = (f: (s: number) => string) => f(-1) + f(1)
  switch (spec.body) {
    case 'robot':
      return pair((s) => pen.circle(s * 0.42 * r, -0.1 * r, 0.22 * r, '#222226') + pen.circle(s * 0.42 * r, -0.1 * r, 0.14 * r, spec.eye, 'stroke="none"') + `<circle cx="${n(s * 0.42 * r - 0.04 * r)}" cy="${n(-0.14 * r)}" r="${n(0.05 * r)}" fill="#fff" stroke="none"/>`)
    case 'ghost':
      return pair((s) => `<ellipse cx="${n(s * 0.35 * r)}" cy="${n(-0.05 * r)}" rx="${n(0.15 * r)}" ry="${n(0.24 * r)}" fill="${ink}" stroke="none"/>`)
    case 'alien':
      return pair((s) => `<ellipse cx="${n(s * 0.42 * r)}" cy="${n(0.05 * r)}" rx="${n(0.24 * r)}" ry="${n(0.36 * r)}" fill="${ink}" stroke="none" transform="rotate(${s * -25} ${n(s * 0.42 * r)} ${n(0.05 * r)})"/><circle cx="${n(s * 0.42 * r + 0.06 * r)}" cy="${n(-0.08 * r)}" r="${n(0.07 * r)}" fill="#fff" stroke="none"/>`)
  }
  const big = spec.body === 'owl' ? 1.6 : spec.body === 'frog' ? 1.3 : 1
  const y = spec.body === 'frog' ? -0.72 * r : spec.body === 'owl' ? -0.05 * r : 0.02 * r
  const x = spec.body === 'frog' ? 0.45 * r : spec.body === 'owl' ? 0.38 * r : 0.36 * r
  const disc = spec.body === 'owl' ? pair((s) => pen.circle(s * x, y, 0.42 * r, spec.second)) : ''
  const stalk = spec.body === 'frog' ? pair((s) => pen.circle(s * x, y, 0.34 * r, spec.skin)) : ''
  const slit = spec.body === 'dragon' || spec.body === 'cat'
  return disc + stalk + pair((s) => {
    const cx = s * x
    const white = `<ellipse cx="${n(cx)}" cy="${n(y)}" rx="${n(0.17 * r * big)}" ry="${n(0.21 * r * big)}" fill="${pen.p.tone('#fbfbf8')}" stroke-width="${n(0.03 * r)}"/>`
    const iris = `<circle cx="${n(cx + 0.04 * r)}" cy="${n(y + 0.02 * r)}" r="${n(0.12 * r * big)}" fill="${pen.p.tone(spec.eye)}" stroke="none"/>`
    const pupil = slit
      ? `<ellipse cx="${n(cx + 0.04 * r)}" cy="${n(y + 0.02 * r)}" rx="${n(0.03 * r * big)}" ry="${n(0.1 * r * big)}" fill="${ink}" stroke="none"/>`
      : `<circle cx="${n(cx + 0.04 * r)}" cy="${n(y + 0.02 * r)}" r="${n(0.06 * r * big)}" fill="${ink}" stroke="none"/>`
    const shine = `<circle cx="${n(cx + 0.01 * r)}" cy="${n(y - 0.05 * r)}" r="${n(0.035 * r * big)}" fill="#fff" stroke="none"/>`
    return white + iris + pupil + shine
  })
}

function muzzle(spec: FigureSpec, pen: Pen, r: number): string {
  const ink = pen.p.roles.ink
  const nose = (y: number, rx: number, ry: number, colour = '#222226') => `<ellipse cx="0" cy="${n(y)}" rx="${n(rx)}" ry="${n(ry)}" fill="${pen.p.tone(colour)}" stroke="none"/>`
  const whiskers = (y: number) => [-1, 1].map((s) => `<path d="M${n(s * 0.3 * r)} ${n(y)}l${n(s * 0.6 * r)} ${n(-0.08 * r)}M${n(s * 0.3 * r)} ${n(y + 0.08 * r)}l${n(s * 0.62 * r)} ${n(0.06 * r)}" fill="none" stroke="${ink}" stroke-width="${n(0.03 * r)}"/>`).join('')
  switch (spec.body) {
    case 'fox': case 'wolf':
      return pen.path(`M${n(-0.6 * r)} ${n(0.25 * r)}Q0 ${n(0.1 * r)} ${n(0.6 * r)} ${n(0.25 * r)}Q${n(0.45 * r)} ${n(0.7 * r)} 0 ${n(0.92 * r)}Q${n(-0.45 * r)} ${n(0.7 * r)} ${n(-0.6 * r)} ${n(0.25 * r)}Z`, spec.second, 'stroke="none"') + nose(0.4 * r, 0.14 * r, 0.1 * r)
    case 'cat':
      return pen.circle(-0.15 * r, 0.45 * r, 0.2 * r, spec.second, 'stroke="none"') + pen.circle(0.15 * r, 0.45 * r, 0.2 * r, spec.second, 'stroke="none"')
        + `<path d="M${n(-0.08 * r)} ${n(0.28 * r)}h${n(0.16 * r)}l${n(-0.08 * r)} ${n(0.1 * r)}Z" fill="${pen.p.tone('#e58a9a')}" stroke="none"/>` + whiskers(0.42 * r)
    case 'dog': case 'bear':
      return pen.ellipse(0, 0.45 * r, 0.45 * r, 0.34 * r, spec.second, 'stroke="none"') + nose(0.3 * r, 0.17 * r, 0.11 * r)
    case 'mouse':
      return pen.ellipse(0, 0.42 * r, 0.35 * r, 0.28 * r, spec.second, 'stroke="none"') + nose(0.32 * r, 0.1 * r, 0.08 * r, '#e58a9a') + whiskers(0.4 * r)
    case 'rabbit':
      return pen.ellipse(0, 0.45 * r, 0.32 * r, 0.25 * r, spec.second, 'stroke="none"') + nose(0.33 * r, 0.08 * r, 0.06 * r, '#e58a9a')
    case 'hedgehog':
      return pen.ellipse(0, 0.35 * r, 0.7 * r, 0.55 * r, spec.second, 'stroke="none"') + nose(0.35 * r, 0.12 * r, 0.1 * r)
    case 'owl':
      return `<path d="M${n(-0.12 * r)} ${n(0.25 * r)}h${n(0.24 * r)}l${n(-0.12 * r)} ${n(0.32 * r)}Z" fill="${pen.p.tone('#e0a030')}"/>`
    case 'bird':
      return `<path d="M${n(0.3 * r)} ${n(0.05 * r)}L${n(1.3 * r)} ${n(0.25 * r)}L${n(0.3 * r)} ${n(0.45 * r)}Z" fill="${pen.p.tone(luminance(spec.skin) < 0.25 ? '#555a60' : '#e0a030')}"/>`
    case 'dragon':
      return pen.ellipse(0, 0.5 * r, 0.62 * r, 0.4 * r, spec.second) + `<circle cx="${n(-0.15 * r)}" cy="${n(0.42 * r)}" r="${n(0.05 * r)}" fill="${ink}" stroke="none"/><circle cx="${n(0.15 * r)}" cy="${n(0.42 * r)}" r="${n(0.05 * r)}" fill="${ink}" stroke="none"/>`
    case 'human':
      return `<path d="M${n(0.02 * r)} ${n(0.22 * r)}q${n(0.09 * r)} ${n(0.1 * r)} 0 ${n(0.16 * r)}" fill="none" stroke="${pen.p.stroke(spec.skin)}" stroke-width="${n(0.05 * r)}"/>`
    default:
      return ''
  }
}

function crest(spec: FigureSpec, pen: Pen, r: number): string {
  switch (spec.body) {
    case 'hedgehog': {
      const spikes: Array<[number, number]> = []
      for (let i = 0; i <= 12; i++) {
        const a = Math.PI * (1.05 + (i / 12) * 0.9)
        const rr = i % 2 === 0 ? 1.45 * r : 1.0 * r
        spikes.push([Math.cos(a) * rr, Math.sin(a) * rr + 0.1 * r])
      }
      return pen.path(pts(spikes) + 'Z', darken(spec.skin, 0.2))
    }
    case 'dragon':
      return [-1, 1].map((s) => pen.path(`M${n(s * 0.35 * r)} ${n(-0.8 * r)}Q${n(s * 0.55 * r)} ${n(-1.3 * r)} ${n(s * 0.85 * r)} ${n(-1.5 * r)}Q${n(s * 0.75 * r)} ${n(-1.05 * r)} ${n(s * 0.68 * r)} ${n(-0.65 * r)}Z`, '#efe6c8')).join('')
    case 'alien':
      return [-1, 1].map((s) => `<path d="M${n(s * 0.3 * r)} ${n(-r)}L${n(s * 0.6 * r)} ${n(-1.6 * r)}" fill="none" stroke="${pen.p.roles.ink}" stroke-width="${n(0.06 * r)}"/>` + pen.circle(s * 0.6 * r, -1.6 * r, 0.12 * r, spec.second)).join('')
    case 'robot':
      return `<path d="M0 ${n(-r)}V${n(-1.5 * r)}" fill="none" stroke="${pen.p.roles.ink}" stroke-width="${n(0.07 * r)}"/>` + pen.circle(0, -1.55 * r, 0.13 * r, spec.eye)
    case 'bird':
      return pen.path(`M${n(-0.2 * r)} ${n(-0.9 * r)}Q${n(-0.1 * r)} ${n(-1.5 * r)} ${n(0.25 * r)} ${n(-1.35 * r)}Q${n(0.05 * r)} ${n(-1.15 * r)} ${n(0.2 * r)} ${n(-0.95 * r)}Z`, spec.skin)
    default:
      return ''
  }
}

function hairBack(spec: FigureSpec, pen: Pen, r: number): string {
  if (spec.body !== 'human') return ''
  const h = spec.hair
  switch (spec.hairStyle) {
    case 'long': return pen.path(`M${n(-1.05 * r)} ${n(-0.2 * r)}Q${n(-1.15 * r)} ${n(1.2 * r)} ${n(-0.9 * r)} ${n(1.7 * r)}H${n(0.9 * r)}Q${n(1.15 * r)} ${n(1.2 * r)} ${n(1.05 * r)} ${n(-0.2 * r)}Z`, h)
    case 'ponytail': return pen.path(`M${n(0.7 * r)} ${n(-0.6 * r)}Q${n(1.8 * r)} ${n(-0.6 * r)} ${n(1.5 * r)} ${n(0.9 * r)}Q${n(1.3 * r)} ${n(0.2 * r)} ${n(0.8 * r)} ${n(0.1 * r)}Z`, h)
    case 'braid': return [0, 1, 2, 3].map((i) => pen.ellipse(0.85 * r + i * 0.05 * r, 0.5 * r + i * 0.38 * r, 0.22 * r, 0.22 * r, h)).join('')
    case 'bob': return pen.path(`M${n(-1.1 * r)} ${n(-0.1 * r)}Q${n(-1.15 * r)} ${n(0.75 * r)} ${n(-0.75 * r)} ${n(0.8 * r)}H${n(0.75 * r)}Q${n(1.15 * r)} ${n(0.75 * r)} ${n(1.1 * r)} ${n(-0.1 * r)}Z`, h)
    case 'curly': case 'wild': return [-1, 1].map((s) => pen.circle(s * 0.95 * r, 0.15 * r, 0.35 * r, h)).join('')
    default: return ''
  }
}

function hairFront(spec: FigureSpec, pen: Pen, r: number): string {
  if (spec.body !== 'human') return ''
  const h = spec.hair
  const cap = (low: number) => `M${n(-1.02 * r)} ${n(low * r)}Q${n(-1.05 * r)} ${n(-1.12 * r)} 0 ${n(-1.08 * r)}Q${n(1.05 * r)} ${n(-1.12 * r)} ${n(1.02 * r)} ${n(low * r)}`
  switch (spec.hairStyle) {
    case 'bald':
      return `<ellipse cx="${n(-0.35 * r)}" cy="${n(-0.6 * r)}" rx="${n(0.18 * r)}" ry="${n(0.1 * r)}" fill="#fff" opacity=".5" stroke="none"/>`
    case 'short': case 'slick':
      return pen.path(`${cap(-0.25)}Q${n(0.6 * r)} ${n(-0.75 * r)} ${n(-0.2 * r)} ${n(-0.55 * r)}Q${n(-0.7 * r)} ${n(-0.5 * r)} ${n(-1.02 * r)} ${n(-0.25 * r)}Z`, h)
    case 'messy': case 'spiky': case 'wild': {
      const spikes: Array<[number, number]> = [[-1.05 * r, -0.1 * r]]
      const count = spec.hairStyle === 'spiky' ? 7 : 6
      for (let i = 0; i <= count; i++) {
        const a = Math.PI * (1.02 + (i / count) * 0.96)
        const rr = (i % 2 === 0 ? 1.08 : spec.hairStyle === 'spiky' ? 1.45 : 1.25) * r
        spikes.push([Math.cos(a) * rr, Math.sin(a) * rr])
      }
      spikes.push([1.05 * r, -0.1 * r], [0.5 * r, -0.55 * r], [-0.3 * r, -0.45 * r])
      return pen.path(pts(spikes) + 'Z', h)
    }
    case 'curly':
      return [[-0.8, -0.6], [-0.35, -0.95], [0.15, -1.0], [0.6, -0.85], [0.9, -0.45], [-0.95, -0.15], [0.2, -0.65], [-0.4, -0.55]]
        .map(([x, y]) => pen.circle(x * r, y * r, 0.34 * r, h)).join('')
    case 'bob':
      return pen.path(`${cap(0.2)}L${n(0.85 * r)} ${n(-0.35 * r)}H${n(-0.85 * r)}Z`, h)
    case 'bun':
      return pen.circle(0, -1.15 * r, 0.38 * r, h) + pen.path(`${cap(-0.2)}Q0 ${n(-0.6 * r)} ${n(-1.02 * r)} ${n(-0.2 * r)}Z`, h)
    default:
      return pen.path(`${cap(0.1)}Q${n(0.55 * r)} ${n(-0.65 * r)} ${n(-0.1 * r)} ${n(-0.5 * r)}Q${n(-0.75 * r)} ${n(-0.35 * r)} ${n(-1.02 * r)} ${n(0.1 * r)}Z`, h)
  }
}

function hat(spec: FigureSpec, pen: Pen, r: number): string {
  const c = spec.hatColour
  const brim = (y: number, w: number) => pen.ellipse(0, y * r, w * r, 0.2 * r, c)
  switch (spec.hat) {
    case 'fedora': return brim(-0.62, 1.45) + pen.path(`M${n(-0.75 * r)} ${n(-0.62 * r)}Q${n(-0.8 * r)} ${n(-1.45 * r)} 0 ${n(-1.35 * r)}Q${n(0.8 * r)} ${n(-1.45 * r)} ${n(0.75 * r)} ${n(-0.62 * r)}Z`, c) + `<path d="M${n(-0.74 * r)} ${n(-0.78 * r)}H${n(0.74 * r)}" stroke="${pen.p.tone(darken(c, 0.5))}" stroke-width="${n(0.14 * r)}"/>`
    case 'tophat': return brim(-0.7, 1.25) + pen.rect(-0.65 * r, -1.85 * r, 1.3 * r, 1.15 * r, c)
    case 'bowler': return brim(-0.65, 1.2) + pen.path(`M${n(-0.75 * r)} ${n(-0.65 * r)}Q${n(-0.75 * r)} ${n(-1.5 * r)} 0 ${n(-1.5 * r)}Q${n(0.75 * r)} ${n(-1.5 * r)} ${n(0.75 * r)} ${n(-0.65 * r)}Z`, c)
    case 'tricorn': return pen.path(`M${n(-1.3 * r)} ${n(-0.55 * r)}Q0 ${n(-1.9 * r)} ${n(1.3 * r)} ${n(-0.55 * r)}Q0 ${n(-0.85 * r)} ${n(-1.3 * r)} ${n(-0.55 * r)}Z`, c)
    case 'pointed': return brim(-0.68, 1.5) + pen.path(`M${n(-0.7 * r)} ${n(-0.7 * r)}L${n(0.35 * r)} ${n(-2.6 * r)}L${n(0.7 * r)} ${n(-0.7 * r)}Z`, c)
    case 'beret': return pen.ellipse(-0.15 * r, -0.85 * r, 0.95 * r, 0.38 * r, c, `transform="rotate(-12 ${n(-0.15 * r)} ${n(-0.85 * r)})"`)
    case 'chef': return pen.path(`M${n(-0.7 * r)} ${n(-0.7 * r)}V${n(-1.3 * r)}Q${n(-1.1 * r)} ${n(-2.1 * r)} ${n(-0.3 * r)} ${n(-1.9 * r)}Q0 ${n(-2.5 * r)} ${n(0.35 * r)} ${n(-1.9 * r)}Q${n(1.1 * r)} ${n(-2.1 * r)} ${n(0.7 * r)} ${n(-1.3 * r)}V${n(-0.7 * r)}Z`, c)
    case 'crown': return pen.path(pts([[-0.65 * r, -0.75 * r], [-0.75 * r, -1.5 * r], [-0.35 * r, -1.1 * r], [0, -1.6 * r], [0.35 * r, -1.1 * r], [0.75 * r, -1.5 * r], [0.65 * r, -0.75 * r]]) + 'Z', c)
    case 'tiara': return pen.path(pts([[-0.6 * r, -0.8 * r], [-0.3 * r, -1.05 * r], [0, -1.3 * r], [0.3 * r, -1.05 * r], [0.6 * r, -0.8 * r]]) + 'Z', c)
    case 'helmet': return pen.path(`M${n(-1.1 * r)} ${n(-0.1 * r)}Q${n(-1.15 * r)} ${n(-1.3 * r)} 0 ${n(-1.3 * r)}Q${n(1.15 * r)} ${n(-1.3 * r)} ${n(1.1 * r)} ${n(-0.1 * r)}Z`, c)
    case 'cap': return pen.path(`M${n(-r)} ${n(-0.45 * r)}Q${n(-r)} ${n(-1.25 * r)} 0 ${n(-1.2 * r)}Q${n(r)} ${n(-1.25 * r)} ${n(r)} ${n(-0.45 * r)}Z`, c) + pen.path(`M${n(0.2 * r)} ${n(-0.5 * r)}Q${n(1.2 * r)} ${n(-0.65 * r)} ${n(1.5 * r)} ${n(-0.35 * r)}L${n(0.6 * r)} ${n(-0.4 * r)}Z`, darken(c, 0.15))
    case 'headband': return pen.rect(-1.02 * r, -0.62 * r, 2.04 * r, 0.22 * r, c)
    case 'hood': return pen.path(`M${n(-1.25 * r)} ${n(0.6 * r)}Q${n(-1.4 * r)} ${n(-1.4 * r)} 0 ${n(-1.35 * r)}Q${n(1.4 * r)} ${n(-1.4 * r)} ${n(1.25 * r)} ${n(0.6 * r)}Q${n(0.95 * r)} ${n(-0.9 * r)} 0 ${n(-0.95 * r)}Q${n(-0.95 * r)} ${n(-0.9 * r)} ${n(-1.25 * r)} ${n(0.6 * r)}Z`, c)
    default: return ''
  }
}

function eyewear(spec: FigureSpec, pen: Pen, r: number): string {
  const ink = pen.p.roles.ink
  const y = 0.02 * r
  switch (spec.glasses) {
    case 'round': return `<g fill="none" stroke="${ink}" stroke-width="${n(0.06 * r)}"><circle cx="${n(-0.36 * r)}" cy="${n(y)}" r="${n(0.26 * r)}"/><circle cx="${n(0.36 * r)}" cy="${n(y)}" r="${n(0.26 * r)}"/><path d="M${n(-0.1 * r)} ${n(y)}h${n(0.2 * r)}"/></g>`
    case 'dark': return `<path d="M${n(-0.65 * r)} ${n(-0.12 * r)}H${n(0.65 * r)}V${n(0.08 * r)}Q${n(0.4 * r)} ${n(0.3 * r)} ${n(0.1 * r)} ${n(0.08 * r)}H${n(-0.1 * r)}Q${n(-0.4 * r)} ${n(0.3 * r)} ${n(-0.65 * r)} ${n(0.08 * r)}Z" fill="${ink}"/>`
    case 'goggles': case 'forehead-goggles': {
      const gy = spec.glasses === 'goggles' ? y : -0.62 * r
      return `<path d="M${n(-r)} ${n(gy)}H${n(r)}" stroke="${ink}" stroke-width="${n(0.1 * r)}"/>` + [-1, 1].map((s) => pen.circle(s * 0.36 * r, gy, 0.27 * r, '#9bd1e0')).join('')
    }
    case 'monocle': return `<circle cx="${n(0.36 * r)}" cy="${n(y)}" r="${n(0.26 * r)}" fill="none" stroke="${pen.p.tone('#d4a52a')}" stroke-width="${n(0.07 * r)}"/><path d="M${n(0.36 * r)} ${n(0.28 * r)}q${n(0.1 * r)} ${n(0.5 * r)} ${n(0.35 * r)} ${n(0.8 * r)}" fill="none" stroke="${pen.p.tone('#d4a52a')}" stroke-width="${n(0.03 * r)}"/>`
    case 'eyepatch': return `<path d="M${n(-0.9 * r)} ${n(-0.5 * r)}L${n(0.9 * r)} ${n(0.1 * r)}" stroke="${ink}" stroke-width="${n(0.06 * r)}"/><ellipse cx="${n(-0.36 * r)}" cy="${n(y)}" rx="${n(0.24 * r)}" ry="${n(0.2 * r)}" fill="${ink}"/>`
    default: return ''
  }
}

function facialHair(spec: FigureSpec, pen: Pen, r: number): string {
  let out = ''
  if (spec.beard) out += pen.path(`M${n(-0.85 * r)} ${n(0.2 * r)}Q${n(-0.7 * r)} ${n(1.25 * r)} 0 ${n(1.3 * r)}Q${n(0.7 * r)} ${n(1.25 * r)} ${n(0.85 * r)} ${n(0.2 * r)}Q${n(0.4 * r)} ${n(0.75 * r)} 0 ${n(0.72 * r)}Q${n(-0.4 * r)} ${n(0.75 * r)} ${n(-0.85 * r)} ${n(0.2 * r)}Z`, spec.hair)
  if (spec.moustache || spec.beard) out += pen.path(`M${n(-0.35 * r)} ${n(0.5 * r)}Q0 ${n(0.3 * r)} ${n(0.35 * r)} ${n(0.5 * r)}Q0 ${n(0.42 * r)} ${n(-0.35 * r)} ${n(0.5 * r)}Z`, spec.hair)
  if (spec.freckles) out += [-1, 1].map((s) => [0, 1, 2].map((i) => `<circle cx="${n(s * (0.35 + i * 0.1) * r)}" cy="${n((0.3 + (i % 2) * 0.06) * r)}" r="${n(0.03 * r)}" fill="${pen.p.tone(darken(spec.skin, 0.35))}" stroke="none"/>`).join('')).join('')
  if (spec.stripes) out += [-0.2, 0, 0.2].map((x) => `<path d="M${n(x * r)} ${n(-0.95 * r)}v${n(0.3 * r)}" stroke="${pen.p.tone(darken(spec.skin, 0.35))}" stroke-width="${n(0.08 * r)}"/>`).join('')
  return out
}

// The parts of a head that make the character who they are; identical markup in every panel.
function drawHead(spec: FigureSpec, pen: Pen, r: number): string {
  const shadeD = `M${n(0.25 * r)} ${n(-0.95 * r)}A${n(r)} ${n(r)} 0 0 1 ${n(0.25 * r)} ${n(0.97 * r)}A${n(1.3 * r)} ${n(1.3 * r)} 0 0 0 ${n(0.25 * r)} ${n(-0.95 * r)}Z`
  return [
    hairBack(spec, pen, r), ears(spec, pen, r), crest(spec, pen, r), headShape(spec, pen, r),
    spec.body === 'ghost' ? '' : pen.shade(shadeD),
    muzzle(spec, pen, r), eyes(spec, pen, r), facialHair(spec, pen, r), hairFront(spec, pen, r), eyewear(spec, pen, r), hat(spec, pen, r),
  ].join('')
}

function expression(spec: FigureSpec, pen: Pen, r: number, mood: Mood): string {
  const ink = pen.p.roles.ink
  const sw = n(0.06 * r)
  const y = spec.body === 'human' ? 0.6 * r : spec.body === 'frog' ? 0.45 * r : spec.body === 'robot' ? 0.55 * r : 0.68 * r
  if (spec.body === 'robot') {
    const open = mood === 'open' || mood === 'grin'
    return `<rect x="${n(-0.4 * r)}" y="${n(y - 0.1 * r)}" width="${n(0.8 * r)}" height="${n(open ? 0.28 * r : 0.16 * r)}" rx="${n(0.05 * r)}" fill="${ink}"/>`
  }
  const half = spec.body === 'frog' ? 0.6 * r : 0.25 * r
  const mouth = {
    smile: `<path d="M${n(-half)} ${n(y)}Q0 ${n(y + 0.22 * r)} ${n(half)} ${n(y)}" fill="none" stroke="${ink}" stroke-width="${sw}"/>`,
    grin: `<path d="M${n(-half * 1.2)} ${n(y - 0.03 * r)}Q0 ${n(y + 0.45 * r)} ${n(half * 1.2)} ${n(y - 0.03 * r)}Z" fill="${pen.p.tone('#7a2a2a')}" stroke="${ink}" stroke-width="${sw}"/>`,
    open: `<ellipse cx="0" cy="${n(y + 0.06 * r)}" rx="${n(half * 0.55)}" ry="${n(0.16 * r)}" fill="${pen.p.tone('#5a1f1f')}" stroke="${ink}" stroke-width="${sw}"/>`,
    frown: `<path d="M${n(-half)} ${n(y + 0.12 * r)}Q0 ${n(y - 0.1 * r)} ${n(half)} ${n(y + 0.12 * r)}" fill="none" stroke="${ink}" stroke-width="${sw}"/>`,
    flat: `<path d="M${n(-half * 0.8)} ${n(y + 0.04 * r)}H${n(half * 0.8)}" fill="none" stroke="${ink}" stroke-width="${sw}"/>`,
    worried: `<path d="M${n(-half)} ${n(y + 0.06 * r)}q${n(half / 2)} ${n(-0.1 * r)} ${n(half)} 0t${n(half)} 0" fill="none" stroke="${ink}" stroke-width="${sw}"/>`,
  }[mood]
  if (spec.body === 'owl' || spec.body === 'bird' || spec.body === 'ghost') return spec.body === 'ghost' ? mouth : ''
  const by = -0.3 * r
  const brow = (s: number) => {
    const inner = s * 0.15 * r
    const outer = s * 0.55 * r
    const [yi, yo] = mood === 'frown' ? [by + 0.1 * r, by - 0.06 * r] : mood === 'flat' ? [by + 0.02 * r, by - 0.01 * r] : mood === 'worried' ? [by - 0.1 * r, by + 0.06 * r] : mood === 'open' ? [by - 0.12 * r, by - 0.12 * r] : [by, by - 0.03 * r]
    return `M${n(inner)} ${n(yi)}L${n(outer)} ${n(yo)}`
  }
  return mouth + `<path d="${brow(-1)}${brow(1)}" fill="none" stroke="${ink}" stroke-width="${n(0.07 * r)}"/>`
}

// ---------- bodies ----------

function tail(spec: FigureSpec, pen: Pen, g: Geometry): string {
  const x = -g.hw * 0.6
  const y = g.hipY - 2
  switch (spec.tail) {
    case 'bushy':
      return pen.path(`M${n(x)} ${n(y)}Q${n(x - 26)} ${n(y + 6)} ${n(x - 24)} ${n(y - 22)}Q${n(x - 14)} ${n(y - 8)} ${n(x + 2)} ${n(y - 6)}Z`, spec.skin)
        + (spec.body === 'fox' ? pen.path(`M${n(x - 24)} ${n(y - 22)}Q${n(x - 27)} ${n(y - 12)} ${n(x - 21)} ${n(y - 9)}Q${n(x - 18)} ${n(y - 16)} ${n(x - 24)} ${n(y - 22)}Z`, spec.second, 'stroke="none"') : '')
    case 'thin':
      return pen.limb(`M${n(x)} ${n(y)}Q${n(x - 22)} ${n(y + 4)} ${n(x - 20)} ${n(y - 20)}`, spec.skin, 3)
    case 'round':
      return pen.circle(x - 3, y, 4.5, spec.second)
    case 'dragon':
      return pen.path(`M${n(x)} ${n(y - 4)}Q${n(x - 30)} ${n(y + 10)} ${n(x - 34)} ${n(y - 6)}L${n(x - 30)} ${n(y + 2)}Q${n(x - 20)} ${n(y + 8)} ${n(x + 2)} ${n(y + 4)}Z`, spec.skin)
    default:
      return ''
  }
}

function torsoPath(spec: FigureSpec, g: Geometry): string {
  const { sw, hw, shoulderY: sy, hipY } = g
  const bottom = spec.top === 'robe' ? -3 : spec.top === 'dress' ? hipY + g.legLen * 0.62 : spec.top === 'coat' ? hipY + g.legLen * 0.55 : spec.top === 'apron' ? hipY + g.legLen * 0.35 : hipY + 2
  const flare = spec.top === 'robe' ? hw + 8 : spec.top === 'dress' ? hw + 10 : spec.top === 'coat' ? hw + 4 : hw + 1
  return `M${n(-sw + 3)} ${n(sy)}H${n(sw - 3)}Q${n(sw)} ${n(sy)} ${n(sw)} ${n(sy + 4)}L${n(flare)} ${n(bottom)}H${n(-flare)}L${n(-sw)} ${n(sy + 4)}Q${n(-sw)} ${n(sy)} ${n(-sw + 3)} ${n(sy)}Z`
}

function torsoDetails(spec: FigureSpec, pen: Pen, g: Geometry): string {
  const { sw, shoulderY: sy, hipY, hw } = g
  const ink = pen.p.roles.ink
  const thin = w2(pen.p.lineWidth(0.6))
  const line = (d: string) => `<path d="${d}" fill="none" stroke="${ink}" stroke-width="${thin}"/>`
  const out: string[] = []
  switch (spec.top) {
    case 'coat': case 'jacket': case 'suit':
      out.push(pen.path(`M${n(-4)} ${n(sy)}L0 ${n(sy + 12)}L${n(4)} ${n(sy)}Z`, spec.top === 'suit' ? '#f4f1ea' : spec.accent))
      out.push(line(`M${n(-5)} ${n(sy)}L${n(-1)} ${n(sy + 14)}M${n(5)} ${n(sy)}L${n(1)} ${n(sy + 14)}M0 ${n(sy + 12)}V${n(hipY + (spec.top === 'coat' ? g.legLen * 0.5 : 0))}`))
      break
    case 'hoodie':
      out.push(pen.ellipse(0, sy + 1, sw * 0.7, 4, darken(spec.topColour, 0.12)))
      out.push(pen.rect(-hw * 0.6, hipY - 9, hw * 1.2, 6, darken(spec.topColour, 0.1), `rx="2"`))
      break
    case 'sweater':
      out.push(line(`M${n(-hw)} ${n(hipY - 2)}H${n(hw)}`), pen.ellipse(0, sy + 1, 5, 2.5, darken(spec.topColour, 0.15)))
      break
    case 'armour':
      out.push(pen.rect(-hw * 0.7, sy + 6, hw * 1.4, hipY - sy - 2, spec.accent), line(`M${n(-sw)} ${n(sy + 8)}H${n(-hw * 0.7)}M${n(hw * 0.7)} ${n(sy + 8)}H${n(sw)}`))
      break
    case 'spacesuit':
      out.push(pen.rect(-6, sy + 7, 12, 9, spec.accent, 'rx="2"'), pen.ellipse(0, sy + 1, sw * 0.8, 3.5, '#d0d4da'))
      break
    case 'overalls':
      out.push(pen.rect(-hw * 0.75, sy + 7, hw * 1.5, hipY - sy - 5, darken(spec.topColour, 0.1)), line(`M${n(-hw * 0.6)} ${n(sy)}V${n(sy + 7)}M${n(hw * 0.6)} ${n(sy)}V${n(sy + 7)}`))
      break
    case 'apron':
      out.push(pen.path(`M${n(-hw * 0.8)} ${n(sy + 6)}H${n(hw * 0.8)}L${n(hw + 1)} ${n(hipY + g.legLen * 0.33)}H${n(-hw - 1)}Z`, '#f4f1ea'))
      break
    case 'vest':
      out.push(pen.path(`M${n(-sw + 2)} ${n(sy + 1)}L${n(-2)} ${n(sy + 1)}L${n(-3)} ${n(hipY)}H${n(-hw - 1)}Z`, spec.topColour), pen.path(`M${n(sw - 2)} ${n(sy + 1)}L${n(2)} ${n(sy + 1)}L${n(3)} ${n(hipY)}H${n(hw + 1)}Z`, spec.topColour))
      break
    case 'plate':
      out.push(pen.rect(-hw * 0.7, sy + 5, hw * 1.4, (hipY - sy) * 0.55, spec.accent, 'rx="2"'), line(`M${n(-hw * 0.4)} ${n(sy + 9)}h${n(hw * 0.8)}M${n(-hw * 0.4)} ${n(sy + 13)}h${n(hw * 0.8)}`))
      break
    default:
      break
  }
  if (spec.belt) out.push(pen.rect(-hw - 1, hipY - 4, 2 * hw + 2, 3.5, '#3a2a22'))
  if (spec.tie) out.push(pen.path(`M0 ${n(sy + 1)}l-2 3l2 9l2 -9Z`, spec.accent))
  if (spec.chain) out.push(`<path d="M${n(-5)} ${n(sy + 1)}Q0 ${n(sy + 9)} ${n(5)} ${n(sy + 1)}" fill="none" stroke="${pen.p.tone('#d4a52a')}" stroke-width="0.9"/>` + pen.circle(0, sy + 8, 1.8, '#d4a52a'))
  if (spec.bag) out.push(line(`M${n(-sw + 3)} ${n(sy + 1)}L${n(hw + 2)} ${n(hipY - 4)}`), pen.rect(hw - 2, hipY - 7, 8, 7, spec.accent, 'rx="1.5"'))
  if (spec.scarf) out.push(pen.path(`M${n(-sw * 0.6)} ${n(sy - 1)}Q0 ${n(sy + 5)} ${n(sw * 0.6)} ${n(sy - 1)}V${n(sy + 3)}Q0 ${n(sy + 9)} ${n(-sw * 0.6)} ${n(sy + 3)}Z`, spec.accent), pen.path(`M${n(sw * 0.25)} ${n(sy + 4)}l3 13l4 -1l-2 -13Z`, spec.accent))
  return out.join('')
}

function armPath(g: Geometry, side: number, arms: Arms, facing: number): string {
  const sx = side * (g.sw - 2.5)
  const sy = g.shoulderY + 3
  const L = g.armLen
  const forward = side === facing
  let elbow: [number, number]
  let hand: [number, number]
  switch (arms) {
    case 'up': elbow = [side * (g.sw + 6), sy - L * 0.35]; hand = [side * (g.sw + 5), sy - L * 0.85]; break
    case 'wave': elbow = forward ? [side * (g.sw + 7), sy - L * 0.2] : [side * (g.sw + 1), sy + L * 0.5]; hand = forward ? [side * (g.sw + 9), sy - L * 0.7] : [side * (g.sw), sy + L * 0.95]; break
    case 'point': elbow = forward ? [side * (g.sw + 9), sy + L * 0.1] : [side * (g.sw + 1), sy + L * 0.5]; hand = forward ? [side * (g.sw + L * 0.95), sy - L * 0.05] : [side * g.sw, sy + L * 0.95]; break
    case 'hips': elbow = [side * (g.sw + 8), sy + L * 0.42]; hand = [side * (g.hw + 2), g.hipY - 2]; break
    case 'hold': elbow = forward ? [side * (g.sw + 3), sy + L * 0.55] : [side * (g.sw + 1), sy + L * 0.5]; hand = forward ? [side * (g.sw + 10), sy + L * 0.45] : [side * g.sw, sy + L * 0.95]; break
    case 'run': elbow = forward ? [side * (g.sw + 8), sy + L * 0.35] : [side * (g.sw - 2) - side * 8, sy + L * 0.4]; hand = forward ? [side * (g.sw + 13), sy + L * 0.05] : [side * (g.sw - 4) - side * 14, sy + L * 0.6]; break
    default: elbow = [side * (g.sw + 1.5), sy + L * 0.5]; hand = [side * (g.sw + 0.5), sy + L * 0.97]
  }
  return `M${n(sx)} ${n(sy)}L${n(elbow[0])} ${n(elbow[1])}L${n(hand[0])} ${n(hand[1])}`
}

function handAt(d: string): [number, number] {
  const m = /L(-?[\d.]+) (-?[\d.]+)$/.exec(d)
  return m ? [Number(m[1]), Number(m[2])] : [0, 0]
}

function legPath(g: Geometry, side: number, legs: Pose['legs'], facing: number): string {
  const hx = side * g.hw * 0.5
  const forward = side === facing
  const L = g.legLen
  if (legs === 'stand') return `M${n(hx)} ${n(g.hipY)}L${n(hx + side * 1)} ${n(-3)}`
  const reach = legs === 'run' ? 1 : 0.55
  return forward
    ? `M${n(hx)} ${n(g.hipY)}L${n(hx + facing * 9 * reach)} ${n(g.hipY + L * 0.5)}L${n(hx + facing * 12 * reach)} ${n(-3)}`
    : `M${n(hx)} ${n(g.hipY)}L${n(hx - facing * 5 * reach)} ${n(g.hipY + L * 0.55)}L${n(hx - facing * 13 * reach)} ${n(-3 - 5 * reach)}`
}

function ghostBody(spec: FigureSpec, pen: Pen, g: Geometry): string {
  const r = g.r
  const top = g.headY
  const d = `M${n(-r)} ${n(top)}A${n(r)} ${n(r)} 0 0 1 ${n(r)} ${n(top)}Q${n(r * 1.35)} ${n(top + 45)} ${n(r * 1.6)} -14Q${n(r)} -8 ${n(r * 0.5)} -14Q0 -6 ${n(-r * 0.5)} -14Q${n(-r)} -8 ${n(-r * 1.6)} -14Q${n(-r * 1.35)} ${n(top + 45)} ${n(-r)} ${n(top)}Z`
  return pen.path(d, spec.skin, 'opacity=".92"') + pen.shade(`M${n(r * 0.3)} ${n(top - r * 0.9)}Q${n(r * 1.6)} ${n(top + 30)} ${n(r * 1.5)} -14Q${n(r)} -8 ${n(r * 0.6)} -13Q${n(r * 0.9)} ${n(top + 30)} ${n(r * 0.3)} ${n(top - r * 0.9)}Z`)
}

// A full figure with feet at (0,0), 100 units tall before its height factor, facing right (+1) or left (-1).
// The head is its own group, the same markup wherever the character appears.
export function drawFigure(spec: FigureSpec, pose: Pose, pen: Pen, headScale: number, facing: 1 | -1): string {
  const g = geometry(spec, headScale)
  const head = drawHead(spec, pen, g.r)
  const headGroup = `<g data-part="head" transform="translate(0 ${n(g.headY)})">${head}</g>`
  const face = `<g transform="translate(0 ${n(g.headY)})">${expression(spec, pen, g.r, pose.mood)}</g>`
  const parts: string[] = []
  if (spec.body === 'ghost') {
    parts.push(ghostBody(spec, pen, g), headGroup, face)
    return parts.join('')
  }
  const sleeve = spec.top === 'vest' || spec.top === 'plate' || (spec.body !== 'human' && spec.top === 'shirt') ? spec.skin : spec.topColour
  const legColour = spec.legs ?? spec.skin
  if (spec.cape) parts.push(pen.path(`M${n(-g.sw)} ${n(g.shoulderY + 1)}H${n(g.sw)}L${n(g.sw + 7)} ${n(g.hipY + g.legLen * 0.7)}H${n(-g.sw - 7)}Z`, spec.cape))
  if (spec.body === 'dragon') parts.push([-1, 1].map((s) => pen.path(`M${n(s * g.sw * 0.5)} ${n(g.shoulderY + 4)}L${n(s * (g.sw + 16))} ${n(g.shoulderY - 12)}L${n(s * (g.sw + 10))} ${n(g.shoulderY + 10)}Z`, darken(spec.skin, 0.2))).join(''))
  parts.push(tail(spec, pen, g))
  const coversLegs = spec.top === 'robe'
  if (!coversLegs) {
    for (const side of [-1, 1]) {
      const d = legPath(g, side, pose.legs, facing)
      parts.push(pen.limb(d, legColour, g.limbW * 1.05))
      const [fx, fy] = handAt(d)
      parts.push(pen.ellipse(fx + facing * 2.5, fy + 0.5, 5.5, 3, spec.body === 'human' || spec.legs ? spec.shoes : darken(spec.skin, 0.25)))
    }
  }
  const torso = torsoPath(spec, g)
  parts.push(pen.path(torso, spec.top === 'vest' || spec.top === 'plate' ? spec.skin : spec.topColour))
  parts.push(pen.shade(`M${n(g.sw * 0.35)} ${n(g.shoulderY)}H${n(g.sw - 3)}Q${n(g.sw)} ${n(g.shoulderY)} ${n(g.sw)} ${n(g.shoulderY + 4)}L${n(g.hw + 1)} ${n(g.hipY + 2)}H${n(g.hw * 0.3)}Z`))
  parts.push(torsoDetails(spec, pen, g))
  parts.push(`<path d="M${n(-3)} ${n(g.shoulderY - 3)}V${n(g.shoulderY + 1)}H3V${n(g.shoulderY - 3)}Z" fill="${pen.p.fill(spec.skin)}" stroke="none"/>`)
  for (const side of [-1, 1]) {
    const d = armPath(g, side, pose.arms, facing)
    parts.push(pen.limb(d, sleeve, g.limbW * 0.92))
    const [hx, hy] = handAt(d)
    parts.push(pen.circle(hx, hy, g.limbW * 0.5, spec.body === 'robot' ? darken(spec.skin, 0.15) : spec.skin))
  }
  parts.push(headGroup, face)
  return parts.join('')
}

// From behind, for the near shoulder of an over-the-shoulder shot: the back of the head and the shoulders, in shadow.
export function drawBack(spec: FigureSpec, pen: Pen, headScale: number): string {
  const dim = (hex: string) => darken(hex, 0.3)
  const s: FigureSpec = { ...spec, skin: dim(spec.skin), hair: dim(spec.hair), topColour: dim(spec.topColour), hatColour: dim(spec.hatColour), second: dim(spec.second) }
  const g = geometry(s, headScale)
  const r = g.r
  const hairCovers = s.body === 'human' && s.hairStyle !== 'bald'
  const cloth = s.body === 'ghost' ? s.skin : s.cape ? dim(s.cape) : s.topColour
  const shoulders = pen.path(`M${n(-g.sw - 4)} ${n(g.shoulderY + 34)}L${n(-g.sw)} ${n(g.shoulderY + 4)}Q${n(-g.sw)} ${n(g.shoulderY)} ${n(-g.sw + 3)} ${n(g.shoulderY)}H${n(g.sw - 3)}Q${n(g.sw)} ${n(g.shoulderY)} ${n(g.sw)} ${n(g.shoulderY + 4)}L${n(g.sw + 4)} ${n(g.shoulderY + 34)}Z`, cloth)
  const head = `<g transform="translate(0 ${n(g.headY)})">${ears(s, pen, r)}${crest(s, pen, r)}${hairBack(s, pen, r)}${pen.circle(0, 0, r, hairCovers ? s.hair : s.skin)}${hat(s, pen, r)}</g>`
  return shoulders + head
}
