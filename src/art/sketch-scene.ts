// Reads a panel's scene text (English art direction, with a few Ukrainian words understood too)
// into what the backdrop should show: the kind of place, the time of day and the weather.
export type Kind =
  | 'city' | 'street' | 'tramStreet' | 'rooftop' | 'bridge' | 'market' | 'park'
  | 'tramInside' | 'depot' | 'metro' | 'room' | 'cafe' | 'library' | 'museum' | 'lab' | 'hall' | 'clocktower' | 'barn' | 'cave'
  | 'forest' | 'river' | 'mountains' | 'desert' | 'village' | 'sea' | 'harbour' | 'lighthouse' | 'deck'
  | 'castle' | 'towerTop' | 'space' | 'spaceship' | 'surface' | 'field'

export interface SceneInfo {
  kind: Kind
  time: 'day' | 'dusk' | 'night' | 'dawn'
  rain: boolean
  snow: boolean
  fog: boolean
  wet: boolean
  indoor: boolean
  action: boolean
  text: string
}

const INDOOR: ReadonlySet<Kind> = new Set(['tramInside', 'depot', 'metro', 'room', 'cafe', 'library', 'museum', 'lab', 'hall', 'clocktower', 'barn', 'cave', 'spaceship'])

// First match wins, so specific places come before the general ones that share their words.
const KINDS: Array<[Kind, RegExp]> = [
  ['space', /orbiting|among the stars|ringed planet/u],
  ['spaceship', /spaceship|space station|starship|hangar|shuttle|airlock|космічн\p{L}* корабл/u],
  ['surface', /planet surface|crater|\bmars\b|lunar|red planet|марс/u],
  ['space', /\bspace\b|orbit|galaxy|nebula|ringed planet|космос/u],
  ['lab', /\blab\b|laborator|лаборатор/u],
  ['depot', /depot|депо/u],
  ['tramInside', /inside (an? )?(old )?tram|tram car with|hand straps|вагон\p{L}* трамва/u],
  ['tramStreet', /tram stop|tram tracks|\btrams?\b|трамва/u],
  ['metro', /metro|subway|platform|train station|railway|метро|вокзал/u],
  ['cafe', /café|cafe|coffee shop|bakery|кав['’ʼ]?ярн/u],
  ['museum', /museum|gallery|gold frames|display case|музе/u],
  ['library', /librar|бібліотек/u],
  ['clocktower', /clock tower|huge gears|годинников/u],
  ['hall', /great hall|throne|dungeon|banners|зал[аі]|підземел/u],
  ['barn', /\bbarn\b|\bhay\b|клун/u],
  ['cave', /\bcave\b|grotto|icicles|печер/u],
  ['room', /\broom\b|office|cabin|\bhut\b|cottage|\btent\b|chamber|kitchen|bedroom|apartment|indoors|interior|кімнат|хат[аиі]|офіс/u],
  ['lighthouse', /lighthouse|маяк/u],
  ['deck', /\bdeck\b|with sails|aboard|палуб/u],
  ['harbour', /harbou?r|\bport\b|\bpier\b|\bdocks?\b|\bboats\b|гаван|порт/u],
  ['rooftop', /rooftop|\broofs\b|chimney|дах/u],
  ['bridge', /stone bridge|bridge over|\bміст\b|мосту/u],
  ['village', /village street|village house|сільськ/u],
  ['market', /market|stalls|awning|ринок|ринку/u],
  ['street', /street|\balley\b|\blane\b|\broad\b|avenue|square|cobble|вулиц|провул/u],
  ['towerTop', /top of a castle tower|battlements|вежа|вежі/u],
  ['castle', /castle|courtyard|fortress|palace|замок|замку/u],
  ['sea', /beach|\bsea\b|ocean|coast|waves|shore|мор[еяі]|пляж/u],
  ['river', /river|\bpond\b|\blake\b|stream|річк|став/u],
  ['mountains', /mountain|\bpeaks?\b|\btrail\b|cliff|valley|slope|meadow|\bhills?\b|гор[аиі]|полонин/u],
  ['desert', /desert|\bdunes?\b|\bsand\b|oasis|ruins|пустел|руїн/u],
  ['park', /\bpark\b|garden|\bbench\b|парк|сад/u],
  ['forest', /forest|woods|\btrees?\b|clearing|\boak\b|jungle|\bferns?\b|\bpath\b|ліс|галявин/u],
  ['village', /village|\bfield\b|\bfarm\b|windmill|wheat|sunflower|сел[оаі]|пол[ея]/u],
  ['city', /city|town|skyline|building|houses|skyscraper|місто|міста|місті/u],
]

const CITYISH = /city|town|houses|domes|skyscrapers|avenues|tower|canals|staircase|buildings|rooftops|square/

export function readScene(scene: string): SceneInfo {
  const text = scene.toLowerCase()
  const establishing = /^establishing view of/.test(text)
  const head = establishing ? text.split(/[,:]/).slice(0, 3).join(' ') : text
  // A city's establishing shot names landmarks (a river, a tower) that would otherwise pick another backdrop.
  const cityView = establishing && CITYISH.test(head) && !/village|forest|mountain|desert|coast|planet|crater|castle|space station|dunes|sea\b/.test(head)
  const kind: Kind = cityView ? 'city' : KINDS.find(([, re]) => re.test(text))?.[0] ?? 'field'
  const night = /\bnight|midnight|\bmoon\b|dark sky|ніч|опівноч/u.test(text)
  const time = night ? 'night' : /dusk|sunset|evening|sky turning orange|вечор|захід/u.test(text) ? 'dusk' : /dawn|sunrise|світан/u.test(text) ? 'dawn' : 'day'
  const rain = /\brain\b|raining|rainy|downpour|drizzle|\bstorm\b|дощ|злив/u.test(text)
  return {
    kind,
    time,
    rain,
    snow: /\bsnow(ing|fall|flakes)?\b|falling snow|сніг/u.test(text),
    fog: /\bfog\b|foggy|\bmist\b|misty|туман/u.test(text),
    wet: rain || /puddle/.test(text),
    indoor: INDOOR.has(kind),
    action: /\b(runs?|running|chase|escapes|leaps?|springs? into action|fight|falls)\b/.test(text),
    text,
  }
}
