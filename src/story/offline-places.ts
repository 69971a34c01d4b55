import type { SettingKind } from './offline-lexicon.ts'

// Where scenes happen inside a setting. The scene text is art direction: the sketch artist draws
// its backdrop from words such as street, rooftop, café, tram, forest, sea, room.
export type SpotTag = 'home' | 'out' | 'quiet' | 'danger' | 'final'

export interface Spot {
  id: string
  scene: string
  at: { en: string; uk: string }
  name: { en: string; uk: string }
  indoor: boolean
  tags: SpotTag[]
}

const s = (id: string, scene: string, atEn: string, atUk: string, nameEn: string, nameUk: string, indoor: boolean, tags: SpotTag[]): Spot => ({
  id, scene, at: { en: atEn, uk: atUk }, name: { en: nameEn, uk: nameUk }, indoor, tags,
})

const ROOM = s('room', 'a cosy room with a desk, a lamp, bookshelves and a tall window', 'at home', 'вдома', 'home', 'дім', true, ['home', 'quiet'])
const CAFE = s('cafe', 'a small café with round tables, cups of coffee and a big window', 'in a small café', 'у маленькій кав’ярні', 'the little café', 'маленька кав’ярня', true, ['quiet', 'home'])

export const SPOTS: Record<SettingKind, Spot[]> = {
  city: [
    ROOM, CAFE,
    s('office', 'a detective office room with a desk, a desk lamp, files and a tall window', 'in the office', 'в офісі', 'the office', 'офіс', true, ['home']),
    s('street', 'a narrow cobblestone street with old houses and street lamps', 'on an old street', 'на старій вулиці', 'the old street', 'стара вулиця', false, ['out']),
    s('rooftop', 'rooftops above the city with chimneys and antennas', 'on the rooftops', 'на дахах', 'the rooftops', 'дахи', false, ['out', 'danger', 'final']),
    s('alley', 'a dark alley street with crates, puddles and a single lamp', 'in a dark alley', 'у темному провулку', 'the dark alley', 'темний провулок', false, ['out', 'danger']),
    s('bridge', 'a stone bridge over the river with lamp posts', 'on the bridge', 'на мосту', 'the old bridge', 'старий міст', false, ['out', 'final']),
    s('market', 'a market square with striped awnings and stalls', 'at the market', 'на ринку', 'the market', 'ринок', false, ['out']),
    s('park', 'a park with chestnut trees, a path and benches', 'in the park', 'у парку', 'the park', 'парк', false, ['out', 'quiet']),
    s('tramstop', 'a tram stop on a city street with tram tracks and overhead wires', 'at the tram stop', 'на трамвайній зупинці', 'the tram stop', 'трамвайна зупинка', false, ['out']),
    s('metro', 'a metro station platform with tiled walls and a waiting train', 'in the metro', 'у метро', 'the metro', 'метро', true, ['danger']),
  ],
  forest: [
    s('hut', 'a wooden hut room with a stove, a table and a small window', 'in the hut', 'у хатинці', 'the hut', 'хатинка', true, ['home', 'quiet']),
    s('clearing', 'a sunny forest clearing with tall trees and ferns', 'in a forest clearing', 'на лісовій галявині', 'the clearing', 'галявина', false, ['out', 'quiet']),
    s('oak', 'a giant old oak tree in the forest with roots like walls', 'by the old oak', 'біля старого дуба', 'the old oak', 'старий дуб', false, ['out', 'final']),
    s('river', 'a forest river with stones, reeds and a small wooden bridge', 'by the river', 'біля річки', 'the river', 'річка', false, ['out']),
    s('cave', 'a dark cave entrance among mossy rocks in the forest', 'at the cave', 'біля печери', 'the cave', 'печера', false, ['danger', 'final']),
    s('path', 'a winding forest path between dark trees', 'on the forest path', 'на лісовій стежці', 'the forest path', 'лісова стежка', false, ['out', 'danger']),
  ],
  mountains: [
    s('cabin', 'a wooden mountain cabin room with a fireplace and a window to the peaks', 'in the cabin', 'у хижці', 'the cabin', 'хижка', true, ['home', 'quiet']),
    s('trail', 'a narrow mountain trail above a valley', 'on the mountain trail', 'на гірській стежці', 'the mountain trail', 'гірська стежка', false, ['out', 'danger']),
    s('peak', 'a windy mountain peak above the clouds', 'on the peak', 'на вершині', 'the peak', 'вершина', false, ['final']),
    s('meadow', 'a green mountain meadow with fir trees and a stream', 'in the meadow', 'на полонині', 'the meadow', 'полонина', false, ['out', 'quiet']),
    s('mcave', 'a cave in the mountains with icicles', 'in the mountain cave', 'у гірській печері', 'the mountain cave', 'гірська печера', true, ['danger', 'final']),
  ],
  sea: [
    s('cottage', 'a seaside cottage room with a round window to the sea', 'in the cottage', 'у будиночку біля моря', 'the cottage', 'будиночок біля моря', true, ['home', 'quiet']),
    s('beach', 'a sandy beach by the sea with waves and shells', 'on the beach', 'на пляжі', 'the beach', 'пляж', false, ['out', 'quiet']),
    s('harbour', 'a harbour by the sea with boats, ropes and cranes', 'in the harbour', 'у гавані', 'the harbour', 'гавань', false, ['out']),
    s('lighthouse', 'a lighthouse on the rocks by the sea', 'at the lighthouse', 'біля маяка', 'the lighthouse', 'маяк', false, ['danger', 'final']),
    s('deck', 'the deck of a ship at sea with sails and ropes', 'on the deck', 'на палубі', 'the deck', 'палуба', false, ['out', 'final']),
  ],
  village: [
    s('house', 'a village house room with a stove, embroidered towels and a window', 'at home', 'у хаті', 'the house', 'хата', true, ['home', 'quiet']),
    s('vstreet', 'a village street with small white houses and fences', 'in the village street', 'на сільській вулиці', 'the village street', 'сільська вулиця', false, ['out']),
    s('field', 'a wheat field with a windmill under a wide sky', 'in the field', 'у полі', 'the field', 'поле', false, ['out', 'quiet']),
    s('barn', 'a wooden barn room with hay and lanterns', 'in the barn', 'у клуні', 'the barn', 'клуня', true, ['danger', 'final']),
    s('pond', 'a pond with willows and a wooden pier near the village forest', 'by the pond', 'біля ставка', 'the pond', 'ставок', false, ['out', 'quiet']),
  ],
  space: [
    s('cabin', 'a spaceship cabin room with a bunk, screens and a round window to the stars', 'in the cabin', 'у каюті', 'the cabin', 'каюта', true, ['home', 'quiet']),
    s('bridge', 'the spaceship bridge with glowing screens and a big window to space and stars', 'on the bridge', 'на капітанському містку', 'the bridge', 'капітанський місток', true, ['out']),
    s('corridor', 'a space station corridor with glowing lab panels', 'in the corridor', 'у коридорі станції', 'the station corridor', 'коридор станції', true, ['out', 'danger']),
    s('hangar', 'a hangar of the space station with a small shuttle', 'in the hangar', 'в ангарі', 'the hangar', 'ангар', true, ['danger', 'final']),
    s('surface', 'a rocky red planet surface with craters, desert and stars in space', 'on the surface', 'на поверхні планети', 'the planet surface', 'поверхня планети', false, ['out', 'final']),
    s('lab', 'a laboratory lab with screens, flasks and blinking machines', 'in the lab', 'у лабораторії', 'the lab', 'лабораторія', true, ['quiet']),
  ],
  castle: [
    s('chamber', 'a castle chamber room with a canopy bed and a tall window', 'in the chamber', 'у покоях', 'the chamber', 'покої', true, ['home', 'quiet']),
    s('hall', 'the great hall of a castle with banners and torches', 'in the great hall', 'у великій залі', 'the great hall', 'велика зала', true, ['out', 'danger']),
    s('tower', 'the top of a castle tower with battlements', 'on the tower', 'на вежі', 'the tower', 'вежа', false, ['final']),
    s('courtyard', 'a castle courtyard with stone walls and a well', 'in the courtyard', 'у дворі замку', 'the courtyard', 'двір замку', false, ['out']),
    s('clibrary', 'an old library with tall bookshelves and candles', 'in the library', 'у бібліотеці', 'the library', 'бібліотека', true, ['quiet']),
    s('dungeon', 'a dark dungeon with chains and torches', 'in the dungeon', 'у підземеллі', 'the dungeon', 'підземелля', true, ['danger']),
  ],
  desert: [
    s('tent', 'a tent room with rugs, lanterns and maps', 'in the tent', 'у наметі', 'the tent', 'намет', true, ['home', 'quiet']),
    s('dunes', 'golden desert dunes under a blazing sky', 'among the dunes', 'серед дюн', 'the dunes', 'дюни', false, ['out']),
    s('oasis', 'a desert oasis with palm trees and water', 'at the oasis', 'в оазі', 'the oasis', 'оаза', false, ['quiet', 'out']),
    s('ruins', 'ancient stone ruins half-buried in desert sand', 'in the ruins', 'у руїнах', 'the ruins', 'руїни', false, ['danger', 'final']),
  ],
}

// Places an idea's object brings into the story (a tram brings the depot and the tram itself).
export const OBJECT_SPOTS: Record<string, Spot> = {
  depot: s('depot', 'an old tram depot with rails, parked tram cars and high windows', 'at the tram depot', 'у трамвайному депо', 'the tram depot', 'трамвайне депо', true, ['final', 'danger']),
  tram: s('tram', 'inside an old tram car with wooden seats, hand straps and windows', 'in the tram', 'у вагоні трамвая', 'the tram', 'вагон трамвая', true, ['quiet']),
  museum: s('museum', 'a museum hall room with paintings in gold frames and display cases', 'in the museum', 'у музеї', 'the museum', 'музей', true, ['final', 'out']),
  tower: s('clocktower', 'inside a clock tower with huge gears and a round clock face window', 'in the clock tower', 'у годинниковій вежі', 'the clock tower', 'годинникова вежа', true, ['final', 'danger']),
  library: s('library', 'an old library with tall bookshelves and a reading lamp', 'in the library', 'у бібліотеці', 'the library', 'бібліотека', true, ['quiet', 'final']),
  lighthouse: s('lighthouse', 'a lighthouse on the rocks by the sea', 'at the lighthouse', 'біля маяка', 'the lighthouse', 'маяк', false, ['final', 'danger']),
  harbour: s('harbour', 'a harbour by the sea with boats, ropes and cranes', 'in the harbour', 'у гавані', 'the harbour', 'гавань', false, ['out']),
  deck: s('deck', 'the deck of a ship at sea with sails and ropes', 'on the deck', 'на палубі', 'the deck', 'палуба', false, ['final']),
}
