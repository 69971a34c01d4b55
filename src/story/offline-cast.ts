import type { CharacterLook } from '../contract/index.ts'
import { pick, type Random } from '../platform/random.ts'
import { term, type Term } from './offline-grammar.ts'
import type { IdeaBeing, IdeaParse } from './offline-idea.ts'
import { KINDS, PROFESSIONS, type Genre, type KindEntry, type ProfessionEntry } from './offline-lexicon.ts'
import { ANIMAL_NAMES, HUMAN_NAMES, MACHINE_NAMES } from './offline-names.ts'

export type CastRole = 'hero' | 'ally' | 'friend' | 'mentor' | 'villain'

export interface CastMember {
  key: string
  role: CastRole
  name: Term
  label: { en: string; uk: string }
  roleText: { en: string; uk: string }
  look: CharacterLook
  category: KindEntry['category']
  // What this character is busy with when the story finds them (art direction).
  idle: string
}

const IDLE: Record<KindEntry['category'], string> = {
  human: 'sips tea by the window',
  animal: 'stretches and yawns by the window',
  robot: 'recharges in a corner, lights blinking',
  creature: 'hums an old tune by the window',
}

// Colour words the sketch artist knows (test/art-offline checks every bible colour resolves).
const EYE_COLOURS = ['amber', 'green', 'blue', 'brown', 'grey', 'hazel', 'golden', 'violet']
const SKIN_TONES = ['pale peach', 'light peach', 'warm beige', 'golden tan', 'olive tan', 'deep brown']
const HAIR_COLOURS = ['black', 'dark brown', 'chestnut', 'auburn', 'copper red', 'blond', 'platinum blond']
const OUTFIT_COLOURS = ['beige', 'camel', 'navy blue', 'burgundy', 'mustard yellow', 'forest green', 'teal', 'crimson', 'royal blue', 'plum purple', 'charcoal grey', 'khaki', 'denim blue', 'brick red', 'coral', 'lavender', 'mint green', 'sky blue', 'orange']

interface CreatureLook {
  face: string
  coats: string[]
  hair: string
  second: string
  builds?: string[]
  outfits?: string[]
}

// Faces and coats per kind; {eye} and {coat} are filled per character.
const CREATURES: Record<string, CreatureLook> = {
  fox: { face: 'fox face with a pointed muzzle, {eye} eyes, white cheeks, black-tipped pointed ears', coats: ['rust orange', 'copper red', 'sandy gold', 'silver grey'], hair: '{coat} fur, white chest, bushy fox tail with a white tip', second: 'cream' },
  cat: { face: 'cat face with a small pink nose, whiskers, {eye} eyes, pointed ears', coats: ['ginger', 'grey tabby', 'jet black', 'snow white', 'cream', 'tortoiseshell'], hair: '{coat} fur, long thin cat tail', second: 'pale pink' },
  dog: { face: 'dog face with floppy ears, a black nose, {eye} eyes', coats: ['chocolate brown', 'golden', 'caramel', 'beige', 'black and white'], hair: '{coat} fur, wagging dog tail', second: 'cream' },
  wolf: { face: 'wolf face with a long muzzle, {eye} eyes, upright pointed ears', coats: ['ash grey', 'charcoal grey', 'snow white'], hair: 'thick {coat} fur, bushy wolf tail', second: 'cream' },
  bear: { face: 'bear face with a round muzzle, small round ears, {eye} eyes', coats: ['chocolate brown', 'honey brown', 'jet black'], hair: 'shaggy {coat} fur', second: 'caramel' },
  owl: { face: 'owl face with a small hooked beak, huge round {eye} eyes, feathery ear tufts', coats: ['tawny', 'snow white', 'ash grey'], hair: '{coat} feathers, wings folded like a cloak', second: 'cream' },
  raven: { face: 'raven head with a sharp black beak, {eye} eyes', coats: ['jet black', 'blue-black'], hair: 'glossy {coat} feathers', second: 'charcoal grey' },
  bird: { face: 'small bird face with a short beak, {eye} eyes', coats: ['chocolate brown', 'sky blue', 'mustard yellow'], hair: 'fluffy {coat} feathers', second: 'cream' },
  rabbit: { face: 'rabbit face with long upright ears, a twitching pink nose, {eye} eyes', coats: ['snow white', 'chocolate brown', 'ash grey', 'sandy gold'], hair: 'soft {coat} fur, fluffy round tail', second: 'pale pink' },
  mouse: { face: 'mouse face with big round ears, a pointed pink nose, {eye} eyes', coats: ['ash grey', 'chocolate brown', 'snow white'], hair: '{coat} fur, long thin tail', second: 'pale pink' },
  rat: { face: 'rat face with a long snout, sharp whiskers, {eye} eyes', coats: ['charcoal grey', 'ash grey'], hair: '{coat} fur, long bald tail', second: 'pale pink' },
  hedgehog: { face: 'hedgehog face with a pointed snout, a black button nose, {eye} eyes', coats: ['chocolate brown', 'honey brown'], hair: 'spiky {coat} quills, soft beige belly', second: 'beige' },
  frog: { face: 'frog face with a wide mouth and big bulging {eye} eyes', coats: ['moss green', 'olive green', 'lime green'], hair: 'smooth {coat} skin, no hair', second: 'pale yellow' },
  robot: { face: 'robot head with a rounded metal faceplate, glowing {eye} optical eyes, a small antenna', coats: ['silver', 'copper', 'white', 'teal'], hair: 'polished {coat} metal plating, no hair', second: 'charcoal grey', builds: ['boxy robot body on jointed legs', 'slim robot body with hinged arms'], outfits: ['{c1} painted chest plate with a number', '{c1} stripes along the arms, a small toolbox'] },
  dragon: { face: 'dragon head with small horns, a long snout, {eye} slit eyes', coats: ['emerald green', 'crimson', 'plum purple', 'gold'], hair: '{coat} scales, spiky crest, long tail, small wings', second: 'pale yellow', outfits: ['{c1} leather satchel', '{c1} scarf'] },
  ghost: { face: 'ghostly pale round face, hollow dark eyes', coats: ['ghost white'], hair: 'wispy translucent {coat} glow, no hair', second: 'pale blue', builds: ['floating sheet-like ghost body with no legs'], outfits: ['tattered {c1} shawl', 'old-fashioned {c1} bonnet'] },
  alien: { face: 'alien face with big dark almond eyes, smooth skin, two antennae', coats: ['mint green', 'lavender', 'sky blue'], hair: 'smooth {coat} skin, no hair', second: 'white', outfits: ['silver jumpsuit with a {c1} collar'] },
  lion: { face: 'lion face with a broad muzzle, {eye} eyes, small round ears', coats: ['golden', 'sandy gold', 'honey brown'], hair: '{coat} fur, a shaggy mane, tufted lion tail', second: 'cream' },
  tiger: { face: 'tiger face with white cheeks, {eye} eyes, small round ears', coats: ['rust orange', 'snow white'], hair: '{coat} fur with black stripes, long striped tail', second: 'cream' },
  panda: { face: 'panda face with black eye patches, {eye} eyes, round black ears', coats: ['snow white'], hair: '{coat} fur, black arms and legs', second: 'jet black' },
  penguin: { face: 'penguin face with a short orange beak, {eye} eyes', coats: ['jet black', 'charcoal grey'], hair: 'sleek {coat} feathers, white belly, flipper wings', second: 'snow white' },
  duck: { face: 'duck face with a flat orange bill, {eye} eyes', coats: ['snow white', 'mustard yellow', 'chocolate brown'], hair: 'fluffy {coat} feathers, webbed orange feet', second: 'cream' },
  squirrel: { face: 'squirrel face with tufted ears, {eye} eyes', coats: ['rust orange', 'ash grey'], hair: '{coat} fur, a huge bushy tail', second: 'cream' },
  dinosaur: { face: 'dinosaur head with a long snout, {eye} eyes, a row of bumps on top', coats: ['emerald green', 'olive green', 'mustard yellow'], hair: '{coat} scales, long heavy tail, no wings', second: 'pale yellow', outfits: ['{c1} scarf', '{c1} backpack straps'] },
}

const ANIMAL_BUILDS = ['small and quick, stands upright', 'lean, upright, medium height', 'plump and round, stands upright', 'tall and lanky, stands upright']
const ANIMAL_OUTFITS = ['{c1} scarf and {c2} waistcoat', '{c1} raincoat with big buttons', '{c1} knitted sweater', '{c1} bow tie and {c2} vest', '{c1} hooded cape']
const HUMAN_BUILDS = ['slim and tall', 'short and stocky', 'average height, athletic', 'lanky and long-legged', 'small and wiry']
const YOUNG_BUILDS = ['small, child-sized', 'short and skinny, child-sized']
const OLD_BUILDS = ['short, slightly stooped', 'tall and thin, slightly stooped']
const HUMAN_OUTFITS = ['{c1} sweater, {c2} scarf, brown boots', '{c1} jacket and jeans, {c2} sneakers', '{c1} raincoat, {c2} wellington boots', '{c1} hoodie, {c2} cap']
const HAIR_STYLES = {
  f: ['long straight {h} hair', '{h} hair in a high ponytail', 'short {h} bob with bangs', 'curly {h} hair to the shoulders', 'a thick {h} braid', '{h} hair in a messy bun'],
  m: ['short {h} hair', 'messy {h} hair', 'curly {h} hair', 'slicked-back {h} hair', 'spiky {h} hair'],
}
const FACES = {
  young: ['round freckled face', 'round face with a button nose', 'wide grin with a gap in the teeth'],
  adult: ['oval face with strong eyebrows', 'sharp cheekbones', 'freckles across the nose', 'square jaw and a warm smile'],
  old: ['wrinkled kind face with round glasses', 'weathered face with bushy eyebrows'],
}

// The name as the script shows it; scenes use the same spelling so prompts and the bible agree.
export function displayName(member: CastMember, lang: 'en' | 'uk'): string {
  return lang === 'en' ? member.name.en.replace(/^the /, 'The ') : member.name.uk.nom
}

function fillLook(s: string, v: Record<string, string>): string {
  return s.replace(/\{(\w+)\}/g, (_m, k: string) => v[k] ?? '')
}

interface Persona {
  kind: KindEntry | null
  profession: ProfessionEntry | null
  gender: 'm' | 'f'
  old?: boolean
}

function outfitFor(p: Persona, rand: Random, creature: CreatureLook | null): { outfit: string; c1: string; c2: string } {
  const c1 = pick(rand, OUTFIT_COLOURS)
  let c2 = pick(rand, OUTFIT_COLOURS)
  if (c2 === c1) c2 = OUTFIT_COLOURS[(OUTFIT_COLOURS.indexOf(c1) + 7) % OUTFIT_COLOURS.length]
  const options = p.profession?.outfit
    ?? creature?.outfits
    ?? (p.kind?.category === 'animal' ? ANIMAL_OUTFITS : HUMAN_OUTFITS)
  return { outfit: fillLook(pick(rand, options), { c1, c2 }), c1, c2 }
}

function makeLook(p: Persona, rand: Random): CharacterLook {
  const kindId = p.kind?.id ?? 'human'
  const creature = CREATURES[kindId] ?? null
  const eye = pick(rand, EYE_COLOURS)
  if (creature) {
    const coat = pick(rand, creature.coats)
    const { outfit, c1, c2 } = outfitFor(p, rand, creature)
    const build = pick(rand, creature.builds ?? ANIMAL_BUILDS)
    return {
      face: fillLook(creature.face, { eye }),
      hair: fillLook(creature.hair, { coat }),
      build,
      outfit,
      colors: [coat, creature.second, c1, c2],
    }
  }
  const old = p.old === true || p.kind?.old === true
  const young = !old && p.kind?.young === true
  const skin = pick(rand, SKIN_TONES)
  const hairColour = old ? 'silver grey' : pick(rand, HAIR_COLOURS)
  const hair = old
    ? (p.gender === 'f' ? 'a neat silver grey bun' : 'short silver grey hair and a bushy beard')
    : fillLook(pick(rand, HAIR_STYLES[p.gender]), { h: hairColour })
  const feature = pick(rand, old ? FACES.old : young ? FACES.young : FACES.adult)
  const { outfit, c1, c2 } = outfitFor(p, rand, null)
  return {
    face: `${feature}, ${skin} skin, ${eye} eyes`,
    hair,
    build: pick(rand, old ? OLD_BUILDS : young ? YOUNG_BUILDS : HUMAN_BUILDS),
    outfit,
    colors: [skin, hairColour, c1, c2],
  }
}

function labelFor(p: Persona): { en: string; uk: string } {
  const g = p.gender
  const kind = p.kind
  const prof = p.profession
  if (kind && prof) {
    if (kind.category === 'human' && !kind.young && !kind.old) return { en: prof.en[g], uk: prof.uk[g] }
    const ukJoin = prof.uk[g].includes(' ') ? `${kind.uk[g]}, ${prof.uk[g]}` : `${kind.uk[g]}-${prof.uk[g]}`
    return { en: `${kind.en[g]} ${prof.en[g]}`, uk: ukJoin }
  }
  if (prof) return { en: prof.en[g], uk: prof.uk[g] }
  if (kind) return { en: kind.en[g], uk: kind.uk[g] }
  return g === 'f' ? { en: 'woman', uk: 'жінка' } : { en: 'man', uk: 'чоловік' }
}

function namePool(kind: KindEntry | null, g: 'm' | 'f'): Term[] {
  if (!kind || kind.category === 'human') return HUMAN_NAMES[g]
  if (kind.category === 'animal') return ANIMAL_NAMES[g]
  return MACHINE_NAMES[g]
}

function kindById(id: string): KindEntry {
  const k = KINDS.find((e) => e.id === id)
  if (!k) throw new Error(`unknown kind ${id}`)
  return k
}

function professionById(id: string): ProfessionEntry {
  const p = PROFESSIONS.find((e) => e.id === id)
  if (!p) throw new Error(`unknown profession ${id}`)
  return p
}

// Who the story is about when the idea names nobody: a likely lead for the genre.
const DEFAULT_LEADS: Record<Genre, Array<[string | null, string | null]>> = {
  mystery: [['fox', 'detective'], ['cat', 'detective'], [null, 'detective'], ['owl', 'detective']],
  rescue: [['girl', null], ['dog', null], ['cat', null], [null, 'firefighter']],
  quest: [['boy', null], ['girl', null], ['mouse', null], [null, 'pirate']],
  scifi: [['robot', null], [null, 'astronaut'], ['girl', 'scientist']],
  fantasy: [[null, 'knight'], [null, 'witch'], ['dragon', null], ['rabbit', 'wizard']],
  spooky: [['girl', null], ['boy', null], ['cat', null], [null, 'journalist']],
}

const ALLY_KINDS: Record<KindEntry['category'], Array<[string, string | null]>> = {
  animal: [['hedgehog', 'journalist'], ['mouse', 'mechanic'], ['owl', 'librarian'], ['raven', 'postman'], ['frog', null], ['rabbit', null], ['dog', null], ['cat', null]],
  human: [['kid', null], ['woman', 'journalist'], ['man', 'mechanic'], ['girl', 'student'], ['boy', 'student'], ['dog', null]],
  robot: [['girl', 'scientist'], ['kid', null], ['man', 'mechanic'], ['alien', null]],
  creature: [['girl', null], ['boy', null], ['kid', null], ['cat', null]],
}

const MENTORS: Record<KindEntry['category'], Array<[string, string | null]>> = {
  animal: [['owl', 'librarian'], ['bear', null], ['hedgehog', null]],
  human: [['grandma', 'driver'], ['grandpa', 'teacher'], ['grandma', null], ['grandpa', 'librarian']],
  robot: [['grandpa', 'scientist'], ['grandma', 'scientist']],
  creature: [['grandma', null], ['owl', 'librarian']],
}

interface VillainEntry {
  name: Term
  label: { en: string; uk: string }
  category: KindEntry['category']
  look: CharacterLook
  genres: Genre[]
}

const VILLAINS: VillainEntry[] = [
  {
    name: term('Baron Hrak', 'm', 'Барон Грак|Барона Грака|Баронові Граку|Барона Грака|Бароном Граком|Баронові Граку|Бароне Граку'),
    label: { en: 'raven smuggler', uk: 'ворон-контрабандист' }, category: 'animal', genres: ['mystery', 'quest', 'spooky'],
    look: { face: 'raven head with a sharp black beak, cold yellow eyes, a monocle', hair: 'glossy jet black feathers', build: 'tall and thin, stands upright', outfit: 'black tailcoat, top hat, silver cane', colors: ['jet black', 'gold', 'black', 'silver'] },
  },
  {
    name: term('the Grey Rat', 'm', 'Сірий Щур|Сірого Щура|Сірому Щурові|Сірого Щура|Сірим Щуром|Сірому Щурові|Сірий Щуре', 'Grey Rat'),
    label: { en: 'rat boss of the back streets', uk: 'щур-ватажок' }, category: 'animal', genres: ['rescue', 'mystery', 'quest'],
    look: { face: 'rat face with a long snout, sharp whiskers, red eyes, a scar over one eye', hair: 'charcoal grey fur, long bald tail', build: 'short and stocky, stands upright', outfit: 'pinstripe charcoal grey suit, gold chain', colors: ['charcoal grey', 'pale pink', 'charcoal grey', 'gold'] },
  },
  {
    name: term('Madame Rust', 'f', 'Пані Іржа|Пані Іржі|Пані Іржі|Пані Іржу|Пані Іржею|Пані Іржі|Пані Іржо'),
    label: { en: 'scrap dealer', uk: 'торговиця брухтом' }, category: 'human', genres: ['rescue', 'mystery'],
    look: { face: 'sharp narrow face, pale peach skin, steel grey eyes, red lipstick', hair: 'tall copper red hair in a tight bun', build: 'tall and bony', outfit: 'long rust brown leather coat, welding goggles, heavy gloves', colors: ['pale peach', 'copper red', 'rust brown', 'black'] },
  },
  {
    name: term('Mister Sych', 'm', 'Пан Сич|Пана Сича|Панові Сичу|Пана Сича|Паном Сичем|Панові Сичу|Пане Сичу'),
    label: { en: 'greedy developer', uk: 'жадібний забудовник' }, category: 'human', genres: ['rescue', 'mystery'],
    look: { face: 'round face, small moustache, narrow grey eyes, warm beige skin', hair: 'slicked-back black hair', build: 'short and round', outfit: 'shiny plum purple suit, gold rings, bowler hat', colors: ['warm beige', 'black', 'plum purple', 'gold'] },
  },
  {
    name: term('Professor Morok', 'm', 'Професор Морок|Професора Морока|Професорові Мороку|Професора Морока|Професором Мороком|Професорові Мороку|Професоре Мороку'),
    label: { en: 'mad inventor', uk: 'божевільний винахідник' }, category: 'human', genres: ['scifi', 'mystery', 'spooky'],
    look: { face: 'gaunt face, pale peach skin, glowing green goggles over the eyes', hair: 'wild white hair', build: 'tall and thin', outfit: 'black lab coat, rubber gloves, belt of tools', colors: ['pale peach', 'white', 'black', 'lime green'] },
  },
  {
    name: term('Unit Zero', 'm', 'Нуль|Нуля|Нулю|Нуль|Нулем|Нулі|Нулю'),
    label: { en: 'rogue robot', uk: 'робот-бунтар' }, category: 'robot', genres: ['scifi'],
    look: { face: 'robot head with a rounded metal faceplate, a single glowing red optical eye, an antenna', hair: 'black metal plating, no hair', build: 'huge boxy robot body', outfit: 'chest plate with a red warning stripe', colors: ['black', 'red', 'charcoal grey', 'red'] },
  },
  {
    name: term('Morena', 'f', 'Морена|Морени|Морені|Морену|Мореною|Морені|Морено'),
    label: { en: 'shadow witch', uk: 'тіньова відьма' }, category: 'human', genres: ['fantasy', 'spooky'],
    look: { face: 'pale sharp face, violet eyes, dark lips', hair: 'long jet black hair', build: 'tall and slender', outfit: 'long black dress, pointed plum purple hat, cloak of shadows', colors: ['pale peach', 'jet black', 'black', 'plum purple'] },
  },
  {
    name: term('the Grey Lady', 'f', 'Сіра Пані|Сірої Пані|Сірій Пані|Сіру Пані|Сірою Пані|Сірій Пані|Сіра Пані', 'Grey Lady'),
    label: { en: 'ghost of the old house', uk: 'привид старого дому' }, category: 'creature', genres: ['spooky'],
    look: { face: 'ghostly pale round face, hollow dark eyes', hair: 'wispy translucent ghost white glow, no hair', build: 'floating sheet-like ghost body with no legs', outfit: 'tattered lavender shawl', colors: ['ghost white', 'pale blue', 'lavender', 'charcoal grey'] },
  },
  {
    name: term('Count Vovk', 'm', 'Граф Вовк|Графа Вовка|Графові Вовку|Графа Вовка|Графом Вовком|Графові Вовку|Графе Вовче'),
    label: { en: 'wolf count', uk: 'вовк-граф' }, category: 'animal', genres: ['fantasy', 'spooky', 'quest'],
    look: { face: 'wolf face with a long muzzle, yellow eyes, upright pointed ears, a cruel grin', hair: 'thick charcoal grey fur, bushy wolf tail', build: 'tall and broad, stands upright', outfit: 'crimson velvet cloak, black waistcoat, silver medallion', colors: ['charcoal grey', 'cream', 'crimson', 'silver'] },
  },
  {
    name: term('Captain Shtorm', 'm', 'Капітан Шторм|Капітана Шторма|Капітанові Шторму|Капітана Шторма|Капітаном Штормом|Капітанові Шторму|Капітане Шторме'),
    label: { en: 'pirate captain', uk: 'капітан піратів' }, category: 'human', genres: ['quest', 'rescue'],
    look: { face: 'weathered face with a black beard, an eyepatch, golden tan skin', hair: 'long black hair under a tricorn hat', build: 'broad and tall', outfit: 'crimson coat with gold buttons, tricorn hat, cutlass', colors: ['golden tan', 'black', 'crimson', 'gold'] },
  },
]

function slug(en: string, taken: Set<string>): string {
  const base = en.toLowerCase().replace(/^the /, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 28) || 'character'
  let key = base
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`
  taken.add(key)
  return key
}

function roleText(role: CastRole, label: { en: string; uk: string }, g: 'm' | 'f', hero: Term | null, family: boolean): { en: string; uk: string } {
  if (role === 'ally' && hero && family) return { en: `${hero.en}'s ${label.en}`, uk: `${label.uk} ${hero.uk.gen}` }
  if (role === 'ally' && hero) {
    return { en: `${label.en}, ${hero.en}'s best friend`, uk: `${label.uk}, ${g === 'f' ? 'найкраща подруга' : 'найкращий друг'} ${hero.uk.gen}` }
  }
  if (role === 'mentor') {
    return { en: `${label.en}, an old friend who knows everything`, uk: `${label.uk}, ${g === 'f' ? 'стара подруга, яка знає все' : 'старий друг, який знає все'}` }
  }
  return label
}

// Two to four characters: the idea's heroes, a friend if the hero is alone, perhaps a mentor, and an antagonist.
export function buildCast(idea: IdeaParse, genre: Genre, rand: Random): CastMember[] {
  const taken = new Set<string>()
  const usedNames = new Set<string>()
  const cast: CastMember[] = []

  const add = (role: CastRole, persona: Persona, fixed?: VillainEntry): CastMember => {
    const g = persona.gender
    let name: Term
    let label: { en: string; uk: string }
    let look: CharacterLook
    if (fixed) {
      name = fixed.name
      label = fixed.label
      look = fixed.look
    } else {
      const pool = namePool(persona.kind, g).filter((t) => !usedNames.has(t.en))
      name = pool.length > 0 ? pick(rand, pool) : pick(rand, namePool(persona.kind, g))
      label = labelFor(persona)
      look = makeLook(persona, rand)
    }
    usedNames.add(name.en)
    const hero = cast.find((c) => c.role === 'hero')?.name ?? null
    const member: CastMember = {
      key: slug(name.en, taken), role, name, label, look,
      category: fixed?.category ?? persona.kind?.category ?? 'human',
      roleText: roleText(role, label, g, hero, !fixed && persona.kind?.family === true),
      idle: persona.profession?.idle ?? IDLE[fixed?.category ?? persona.kind?.category ?? 'human'],
    }
    cast.push(member)
    return member
  }

  const personaOf = (b: IdeaBeing): Persona => ({
    kind: b.kind, profession: b.profession, old: b.old,
    gender: b.gender ?? (rand() < 0.5 ? 'f' : 'm'),
  })

  const [first, ...rest] = idea.beings
  const lead: IdeaBeing = first ?? (() => {
    const [k, p] = pick(rand, DEFAULT_LEADS[genre])
    return { kind: k ? kindById(k) : null, profession: p ? professionById(p) : null, count: 1, gender: null, old: false, companion: false }
  })()
  const heroes = Math.min(3, lead.count)
  for (let i = 0; i < heroes; i++) add(i === 0 ? 'hero' : i === 1 ? 'ally' : 'friend', { ...personaOf(lead), gender: lead.gender ?? (rand() < 0.5 ? 'f' : 'm') })

  let villainBeing: IdeaBeing | null = null
  for (const b of rest) {
    const menacing = !b.companion && (b.kind?.menacing === true || b.profession?.menacing === true)
    if (menacing && !villainBeing) { villainBeing = b; continue }
    if (cast.length < 3) add(cast.some((c) => c.role === 'ally') ? 'friend' : 'ally', personaOf(b))
  }

  const heroCategory = cast[0].category
  if (!cast.some((c) => c.role === 'ally')) {
    const [k, p] = pick(rand, ALLY_KINDS[heroCategory].filter(([k]) => k !== lead.kind?.id))
    add('ally', { kind: kindById(k), profession: p ? professionById(p) : null, gender: rand() < 0.5 ? 'f' : 'm' })
  }
  if (cast.length < 3 && rand() < 0.55) {
    const [k, p] = pick(rand, MENTORS[heroCategory])
    const kind = kindById(k)
    add('mentor', { kind, profession: p ? professionById(p) : null, gender: kind.female ? 'f' : kind.male ? 'm' : rand() < 0.5 ? 'f' : 'm' })
  }
  if (villainBeing) {
    add('villain', personaOf(villainBeing))
  } else {
    const fitting = VILLAINS.filter((v) => v.genres.includes(genre))
    const sameKind = fitting.filter((v) => v.category === heroCategory)
    add('villain', { kind: null, profession: null, gender: 'm' }, pick(rand, sameKind.length > 0 && rand() < 0.7 ? sameKind : fitting))
  }
  return cast
}
