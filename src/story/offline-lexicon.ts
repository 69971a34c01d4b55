import { adjective, term, type Adjective, type Term } from './offline-grammar.ts'

// The words the offline writer recognises in an idea, in English and Ukrainian, with what they mean for the story.
// Patterns match whole words (stems allow any ending); they are compiled with the 'u' flag.
function words(...alternatives: string[]): RegExp {
  return new RegExp(`(?<!\\p{L})(?:${alternatives.join('|')})(?!\\p{L})`, 'gu')
}

export type Body = 'human' | 'fox' | 'cat' | 'dog' | 'wolf' | 'bear' | 'owl' | 'bird' | 'rabbit' | 'mouse' | 'hedgehog' | 'frog' | 'robot' | 'dragon' | 'ghost' | 'alien'

export interface KindEntry {
  id: string
  body: Body
  category: 'human' | 'animal' | 'robot' | 'creature'
  en: { m: string; f: string }
  uk: { m: string; f: string }
  re: RegExp
  // Words that fix the gender when the idea uses them ("vixen", "кішка", "girl").
  female?: RegExp
  male?: RegExp
  // Met later in an idea, such a creature is the antagonist rather than a friend.
  menacing?: boolean
  young?: boolean
  old?: boolean
  // Kin: as the hero's companion, the story names them as family ("Vira's granddaughter"), not as a friend.
  family?: boolean
  // Missing, lost or stolen ("their missing dog"), they are what the story is after rather than one of its cast.
  sought?: { m: Term; f: Term }
}

const animate = (t: Term): Term => ({ ...t, animate: true })

export const KINDS: KindEntry[] = [
  { id: 'fox', body: 'fox', category: 'animal', en: { m: 'fox', f: 'vixen' }, uk: { m: 'лис', f: 'лисиця' }, re: words('fox(?:es)?', 'vixens?', 'лис', 'лиса', 'лисові', 'лисом', 'лисе', 'лиси', 'лисів', 'лисам', 'лисиц\\p{L}*', 'лисичк\\p{L}*', 'лисен\\p{L}*'), female: /vixen|лисиц|лисичк/i },
  { id: 'cat', body: 'cat', category: 'animal', en: { m: 'cat', f: 'cat' }, uk: { m: 'кіт', f: 'кішка' }, re: words('cats?', 'kitt(?:en|ens|y|ies)', 'кіт', 'кота', 'котові', 'коту', 'котом', 'коти', 'котів', 'котам', 'котами', 'котах', 'котик\\p{L}*', 'кішк\\p{L}*', 'кошен\\p{L}*', 'киць\\p{L}*', 'кицю\\p{L}*'), female: /кішк|кицьк/i , sought: { m: animate(term('the cat', 'm', 'кіт|кота|котові|кота|котом|котові', 'cat')), f: animate(term('the cat', 'f', 'кішка|кішки|кішці|кішку|кішкою|кішці', 'cat')) } },
  { id: 'dog', body: 'dog', category: 'animal', en: { m: 'dog', f: 'dog' }, uk: { m: 'пес', f: 'собачка' }, re: words('dogs?', 'pupp(?:y|ies)', 'hounds?', 'пес', 'пса', 'псові', 'псом', 'пси', 'псів', 'собак\\p{L}*', 'собачк\\p{L}*', 'цуцен\\p{L}*', 'песик\\p{L}*') , sought: { m: animate(term('the dog', 'm', 'пес|пса|псові|пса|псом|псові', 'dog')), f: animate(term('the dog', 'f', 'собака|собаки|собаці|собаку|собакою|собаці', 'dog')) } },
  { id: 'wolf', body: 'wolf', category: 'animal', en: { m: 'wolf', f: 'she-wolf' }, uk: { m: 'вовк', f: 'вовчиця' }, re: words('wol(?:f|ves)', 'вовк\\p{L}*', 'вовчиц\\p{L}*'), female: /вовчиц|she-wolf/i, menacing: true },
  { id: 'bear', body: 'bear', category: 'animal', en: { m: 'bear', f: 'bear' }, uk: { m: 'ведмідь', f: 'ведмедиця' }, re: words('bears?', 'ведмід\\p{L}*', 'ведмед\\p{L}*'), female: /ведмедиц/i },
  { id: 'owl', body: 'owl', category: 'animal', en: { m: 'owl', f: 'owl' }, uk: { m: 'пугач', f: 'сова' }, re: words('owls?', 'сова', 'сови', 'сові', 'сову', 'совою', 'сов', 'совам', 'пугач\\p{L}*', 'сич\\p{L}*'), female: /сов/i },
  { id: 'raven', body: 'bird', category: 'animal', en: { m: 'raven', f: 'crow' }, uk: { m: 'ворон', f: 'ворона' }, re: words('ravens?', 'crows?', 'ворон\\p{L}*'), female: /crow|ворона|ворони|вороні|ворону/i },
  { id: 'bird', body: 'bird', category: 'animal', en: { m: 'sparrow', f: 'sparrow' }, uk: { m: 'горобець', f: 'пташка' }, re: words('birds?', 'sparrows?', 'pigeons?', 'птах\\p{L}*', 'пташ\\p{L}*', 'горобц\\p{L}*', 'горобець', 'голуб\\p{L}*') },
  { id: 'rabbit', body: 'rabbit', category: 'animal', en: { m: 'rabbit', f: 'rabbit' }, uk: { m: 'заєць', f: 'зайчиця' }, re: words('rabbits?', 'bunn(?:y|ies)', 'hares?', 'кролик\\p{L}*', 'кроли\\p{L}*', 'заєць', 'зайц\\p{L}*', 'зайчик\\p{L}*', 'зайчиц\\p{L}*'), female: /зайчиц|кролиц/i },
  { id: 'mouse', body: 'mouse', category: 'animal', en: { m: 'mouse', f: 'mouse' }, uk: { m: 'мишко', f: 'мишка' }, re: words('mouse', 'mice', 'миш\\p{L}*'), female: /мишк/i },
  { id: 'rat', body: 'mouse', category: 'animal', en: { m: 'rat', f: 'rat' }, uk: { m: 'щур', f: 'щуриха' }, re: words('rats?', 'щур\\p{L}*', 'пацюк\\p{L}*'), menacing: true },
  { id: 'hedgehog', body: 'hedgehog', category: 'animal', en: { m: 'hedgehog', f: 'hedgehog' }, uk: { m: 'їжак', f: 'їжачиха' }, re: words('hedgehogs?', 'їжак\\p{L}*', 'їжач\\p{L}*') },
  { id: 'frog', body: 'frog', category: 'animal', en: { m: 'frog', f: 'frog' }, uk: { m: 'жабун', f: 'жаба' }, re: words('frogs?', 'toads?', 'жаб\\p{L}*'), female: /жаба|жаби|жабу|жабою/i },
  { id: 'robot', body: 'robot', category: 'robot', en: { m: 'robot', f: 'robot' }, uk: { m: 'робот', f: 'робот' }, re: words('robots?', 'androids?', 'droids?', 'робот\\p{L}*', 'андроїд\\p{L}*') },
  { id: 'dragon', body: 'dragon', category: 'creature', en: { m: 'dragon', f: 'dragon' }, uk: { m: 'дракон', f: 'драконка' }, re: words('dragons?', 'дракон\\p{L}*'), menacing: true },
  { id: 'ghost', body: 'ghost', category: 'creature', en: { m: 'ghost', f: 'ghost' }, uk: { m: 'привид', f: 'примара' }, re: words('ghosts?', 'phantoms?', 'spirits?', 'привид\\p{L}*', 'примар\\p{L}*'), female: /примар/i, menacing: true },
  { id: 'alien', body: 'alien', category: 'creature', en: { m: 'alien', f: 'alien' }, uk: { m: 'прибулець', f: 'прибулиця' }, re: words('aliens?', 'martians?', 'прибул\\p{L}*', 'інопланет\\p{L}*', 'марсіан\\p{L}*'), female: /прибулиц/i },
  // Animals ideas often star, drawn on the nearest body the sketch artist knows.
  { id: 'lion', body: 'cat', category: 'animal', en: { m: 'lion', f: 'lioness' }, uk: { m: 'лев', f: 'левиця' }, re: words('lions?', 'lioness(?:es)?', 'лев', 'лева', 'левові', 'левом', 'леви', 'левів', 'левам', 'левиц\\p{L}*', 'левен\\p{L}*'), female: /lioness|левиц/i },
  { id: 'tiger', body: 'cat', category: 'animal', en: { m: 'tiger', f: 'tigress' }, uk: { m: 'тигр', f: 'тигриця' }, re: words('tigers?', 'tigress(?:es)?', 'тигр\\p{L}*'), female: /tigress|тигриц/i },
  { id: 'panda', body: 'bear', category: 'animal', en: { m: 'panda', f: 'panda' }, uk: { m: 'панда', f: 'панда' }, re: words('pandas?', 'панд\\p{L}*') },
  { id: 'penguin', body: 'bird', category: 'animal', en: { m: 'penguin', f: 'penguin' }, uk: { m: 'пінгвін', f: 'пінгвіниха' }, re: words('penguins?', 'пінгвін\\p{L}*'), female: /пінгвініх/i },
  { id: 'duck', body: 'bird', category: 'animal', en: { m: 'duck', f: 'duck' }, uk: { m: 'качур', f: 'качка' }, re: words('ducks?', 'ducklings?', 'качк\\p{L}*', 'качур\\p{L}*', 'качен\\p{L}*', 'каченя\\p{L}*'), female: /качк/i },
  { id: 'squirrel', body: 'mouse', category: 'animal', en: { m: 'squirrel', f: 'squirrel' }, uk: { m: 'білчик', f: 'білка' }, re: words('squirrels?', 'білк\\p{L}*', 'білоч\\p{L}*', 'білчик\\p{L}*'), female: /білк|білоч/i },
  { id: 'dinosaur', body: 'dragon', category: 'creature', en: { m: 'dinosaur', f: 'dinosaur' }, uk: { m: 'динозавр', f: 'динозавриха' }, re: words('dinosaurs?', 't-rex', 'динозавр\\p{L}*'), female: /динозаврих/i },
  { id: 'girl', body: 'human', category: 'human', en: { m: 'boy', f: 'girl' }, uk: { m: 'хлопчик', f: 'дівчинка' }, re: words('girls?', 'дівчин\\p{L}*', 'дівчат\\p{L}*', 'дівчис\\p{L}*'), female: /./, young: true },
  { id: 'boy', body: 'human', category: 'human', en: { m: 'boy', f: 'girl' }, uk: { m: 'хлопчик', f: 'дівчинка' }, re: words('boys?', 'хлопч\\p{L}*', 'хлопець', 'хлопц\\p{L}*', 'хлопця', 'хлопцеві'), male: /./, young: true },
  { id: 'kid', body: 'human', category: 'human', en: { m: 'kid', f: 'kid' }, uk: { m: 'малий', f: 'мала' }, re: words('kids?', 'child(?:ren)?', 'twins?', 'дитин\\p{L}*', 'діти', 'дітей', 'дітям', 'дітьми', 'малюк\\p{L}*', 'близнюк\\p{L}*'), young: true },
  { id: 'teen', body: 'human', category: 'human', en: { m: 'teenager', f: 'teenager' }, uk: { m: 'підліток', f: 'дівчина-підліток' }, re: words('teens?', 'teenagers?', 'підліток', 'підлітк\\p{L}*'), young: true },
  { id: 'woman', body: 'human', category: 'human', en: { m: 'man', f: 'woman' }, uk: { m: 'чоловік', f: 'жінка' }, re: words('wom[ae]n', 'lad(?:y|ies)', 'жінк\\p{L}*', 'жінок', 'пані'), female: /./ },
  { id: 'man', body: 'human', category: 'human', en: { m: 'man', f: 'woman' }, uk: { m: 'чоловік', f: 'жінка' }, re: words('m[ae]n', 'gentlem[ae]n', 'guy', 'чоловік\\p{L}*', 'дядьк\\p{L}*', 'пан', 'пана'), male: /./ },
  { id: 'grandma', body: 'human', category: 'human', en: { m: 'grandpa', f: 'grandma' }, uk: { m: 'дідусь', f: 'бабуся' }, re: words('grand(?:ma|mother|mothers|mas)', 'grann(?:y|ies)', 'бабус\\p{L}*', 'бабц\\p{L}*', 'бабу'), female: /./, old: true, family: true },
  { id: 'grandchild', body: 'human', category: 'human', en: { m: 'grandson', f: 'granddaughter' }, uk: { m: 'онук', f: 'онука' }, re: words('grand(?:daughter|son|child)s?', 'grandchildren', 'онук\\p{L}*', 'онуч\\p{L}*'), female: /granddaughter|онука|онуку|онукою|онуці|онучк/i, male: /grandson|^онук$|онукові|онуком/i, young: true, family: true },
  { id: 'child', body: 'human', category: 'human', en: { m: 'son', f: 'daughter' }, uk: { m: 'син', f: 'донька' }, re: words('daughters?', 'sons?', 'син', 'сина', 'синові', 'сину', 'сином', 'сини', 'синів', 'синочк\\p{L}*', 'доньк\\p{L}*', 'дочк\\p{L}*', 'доню'), female: /daughter|доньк|дочк|доню/i, male: /son|син/i, young: true, family: true , sought: { m: animate(term('the son', 'm', 'син|сина|синові|сина|сином|синові', 'son')), f: animate(term('the daughter', 'f', 'донька|доньки|доньці|доньку|донькою|доньці', 'daughter')) } },
  { id: 'parent', body: 'human', category: 'human', en: { m: 'father', f: 'mother' }, uk: { m: 'тато', f: 'мама' }, re: words('mothers?', 'fathers?', 'mom', 'mum', 'dad', 'мама', 'мами', 'мамі', 'маму', 'мамою', 'матір', 'мати', 'тато', 'тата', 'татові', 'татом', 'татус\\p{L}*', 'батько', 'батька', 'батькові', 'батьком'), female: /mother|mom|mum|мам|мати|матір/i, male: /father|dad|тат|батьк/i, family: true },
  { id: 'sibling', body: 'human', category: 'human', en: { m: 'brother', f: 'sister' }, uk: { m: 'брат', f: 'сестра' }, re: words('sisters?', 'brothers?', 'сестр\\p{L}*', 'сестер', 'сестричк\\p{L}*', 'брат', 'брата', 'братові', 'братом', 'брати', 'братів', 'братик\\p{L}*'), female: /sister|сестр|сестер/i, male: /brother|брат/i, family: true , sought: { m: animate(term('the brother', 'm', 'брат|брата|братові|брата|братом|братові', 'brother')), f: animate(term('the sister', 'f', 'сестра|сестри|сестрі|сестру|сестрою|сестрі', 'sister')) } },
  { id: 'grandpa', body: 'human', category: 'human', en: { m: 'grandpa', f: 'grandma' }, uk: { m: 'дідусь', f: 'бабуся' }, re: words('grand(?:pa|father|fathers|pas)', 'дідус\\p{L}*', 'дід', 'діда', 'дідові', 'дідом'), male: /./, old: true, family: true },
]

export interface ProfessionEntry {
  id: string
  en: { m: string; f: string }
  uk: { m: string; f: string }
  re: RegExp
  female?: RegExp
  male?: RegExp
  // Outfit with {c1} and {c2} for the outfit colours; the artist reads these words.
  outfit: string[]
  // What the hero is doing when the story opens, as art direction.
  idle: string
  menacing?: boolean
}

export const PROFESSIONS: ProfessionEntry[] = [
  { id: 'detective', en: { m: 'detective', f: 'detective' }, uk: { m: 'детектив', f: 'детективка' }, re: words('detectives?', 'sleuths?', 'investigators?', 'inspectors?', 'детектив\\p{L}*', 'слідч\\p{L}*', 'нишпорк\\p{L}*', 'інспектор\\p{L}*'), female: /детективк|слідча/i, outfit: ['belted {c1} trench coat, {c2} fedora hat, striped scarf', '{c1} trench coat with the collar up, {c2} hat, leather gloves'], idle: 'studies case files under a desk lamp' },
  { id: 'doctor', en: { m: 'doctor', f: 'doctor' }, uk: { m: 'лікар', f: 'лікарка' }, re: words('doctors?', 'medics?', 'nurses?', 'лікар\\p{L}*', 'медсестр\\p{L}*'), female: /лікарк|медсестр|nurse/i, outfit: ['white coat over a {c1} sweater, stethoscope, round glasses'], idle: 'writes notes in a worn notebook' },
  { id: 'pilot', en: { m: 'pilot', f: 'pilot' }, uk: { m: 'льотчик', f: 'льотчиця' }, re: words('pilots?', 'aviators?', 'пілот\\p{L}*', 'льотчи\\p{L}*'), female: /льотчиц/i, outfit: ['{c1} leather flight jacket, goggles on the forehead, {c2} scarf'], idle: 'polishes a pair of flight goggles' },
  { id: 'chef', en: { m: 'chef', f: 'chef' }, uk: { m: 'кухар', f: 'кухарка' }, re: words('chefs?', 'cooks?', 'кухар\\p{L}*'), female: /кухарк/i, outfit: ['white double-breasted jacket, {c1} neckerchief, chef hat'], idle: 'tastes the soup from a wooden spoon' },
  { id: 'baker', en: { m: 'baker', f: 'baker' }, uk: { m: 'пекар', f: 'пекарка' }, re: words('bakers?', 'пекар(?!н)\\p{L}*', 'кондитер\\p{L}*'), female: /пекарк|кондитерк/i, outfit: ['white apron over a {c1} shirt, chef hat, rolled-up sleeves'], idle: 'kneads dough, flour everywhere' },
  { id: 'knight', en: { m: 'knight', f: 'knight' }, uk: { m: 'лицар', f: 'лицарка' }, re: words('knights?', 'warriors?', 'лицар\\p{L}*', 'воїн\\p{L}*', 'воїтел\\p{L}*'), female: /лицарк|воїтельк/i, outfit: ['{c1} tabard over silver armour, sword belt, {c2} cape'], idle: 'sharpens a sword by the fire' },
  { id: 'witch', en: { m: 'warlock', f: 'witch' }, uk: { m: 'відьмак', f: 'відьма' }, re: words('witch(?:es)?', 'warlocks?', 'відьм\\p{L}*'), female: /witch|відьма|відьми|відьму|відьмою/i, outfit: ['long {c1} dress, pointed {c2} hat, star brooch'], idle: 'stirs a bubbling pot of herbs' },
  { id: 'wizard', en: { m: 'wizard', f: 'sorceress' }, uk: { m: 'чарівник', f: 'чарівниця' }, re: words('wizards?', 'mages?', 'magicians?', 'sorcer(?:er|ers|ess|esses)', 'чарівни\\p{L}*', 'чаклун\\p{L}*', 'маг'), female: /sorceress|чарівниц|чаклунк/i, outfit: ['flowing {c1} robe with stars, pointed {c2} hat'], idle: 'reads a glowing spellbook' },
  { id: 'pirate', en: { m: 'pirate', f: 'pirate' }, uk: { m: 'пірат', f: 'піратка' }, re: words('pirates?', 'пірат\\p{L}*'), female: /піратк/i, outfit: ['{c1} long coat with brass buttons, tricorn hat, {c2} sash'], idle: 'studies a sea chart with a spyglass' },
  { id: 'scientist', en: { m: 'inventor', f: 'inventor' }, uk: { m: 'винахідник', f: 'винахідниця' }, re: words('scientists?', 'inventors?', 'professors?', 'engineers?', 'науков\\p{L}*', 'винахідни\\p{L}*', 'професор\\p{L}*', 'інженер\\p{L}*'), female: /науковиц|винахідниц|професорк|інженерк/i, outfit: ['lab coat over a {c1} sweater, safety goggles, tool belt'], idle: 'tinkers with a strange ticking gadget' },
  { id: 'astronaut', en: { m: 'astronaut', f: 'astronaut' }, uk: { m: 'астронавт', f: 'астронавтка' }, re: words('astronauts?', 'cosmonauts?', 'spacem[ae]n', 'астронавт\\p{L}*', 'космонавт\\p{L}*'), female: /астронавтк|космонавтк/i, outfit: ['white spacesuit with {c1} stripes, helmet under the arm'], idle: 'checks the readings on a control panel' },
  { id: 'student', en: { m: 'student', f: 'student' }, uk: { m: 'студент', f: 'студентка' }, re: words('students?', 'pupils?', 'schoolgirls?', 'schoolboys?', 'студент\\p{L}*', 'школяр\\p{L}*', 'учениц\\p{L}*', 'учень'), female: /студентк|школярк|учениц|schoolgirl/i, outfit: ['{c1} hoodie, jeans, {c2} backpack', '{c1} school jacket, {c2} tie, backpack'], idle: 'reads a thick book, chewing a pencil' },
  { id: 'musician', en: { m: 'musician', f: 'musician' }, uk: { m: 'музикант', f: 'музикантка' }, re: words('musicians?', 'violinists?', 'singers?', 'guitarists?', 'музикант\\p{L}*', 'скрипал\\p{L}*', 'співа\\p{L}*', 'гітарист\\p{L}*'), female: /музикантк|скрипальк|співачк|гітаристк/i, outfit: ['{c1} velvet jacket, {c2} scarf, violin case on the back'], idle: 'tunes an old violin by the window' },
  { id: 'painter', en: { m: 'painter', f: 'painter' }, uk: { m: 'художник', f: 'художниця' }, re: words('painters?', 'artists?', 'художни\\p{L}*'), female: /художниц/i, outfit: ['paint-stained {c1} smock, {c2} beret'], idle: 'paints at an easel covered in colour' },
  { id: 'driver', en: { m: 'tram driver', f: 'tram driver' }, uk: { m: 'вагоновод', f: 'вагоноводка' }, re: words('(?:tram )?drivers?', 'conductors?', 'водій', 'водія', 'водієві', 'водієм', 'водійк\\p{L}*', 'вагоновод\\p{L}*', 'кондуктор\\p{L}*'), female: /водійк|вагоноводк|кондукторк/i, outfit: ['{c1} uniform jacket with brass buttons, cap with a badge'], idle: 'polishes the brass bell of a tram' },
  { id: 'firefighter', en: { m: 'firefighter', f: 'firefighter' }, uk: { m: 'пожежник', f: 'пожежниця' }, re: words('firefighters?', 'firem[ae]n', 'пожежн\\p{L}*'), female: /пожежниц/i, outfit: ['{c1} fire jacket with reflective stripes, helmet'], idle: 'coils a long fire hose' },
  { id: 'mechanic', en: { m: 'mechanic', f: 'mechanic' }, uk: { m: 'механік', f: 'механікиня' }, re: words('mechanics?', 'механік\\p{L}*'), female: /механікин/i, outfit: ['{c1} overalls, tool belt, {c2} cap'], idle: 'fixes an engine, covered in grease' },
  { id: 'journalist', en: { m: 'reporter', f: 'reporter' }, uk: { m: 'репортер', f: 'репортерка' }, re: words('journalists?', 'reporters?', 'журналіст\\p{L}*', 'репортер\\p{L}*'), female: /журналістк|репортерк/i, outfit: ['{c1} cardigan, round glasses, camera on a strap'], idle: 'types on an old typewriter' },
  { id: 'police', en: { m: 'police officer', f: 'police officer' }, uk: { m: 'поліцейський', f: 'поліцейська' }, re: words('police', 'cops?', 'officers?', 'policem[ae]n', 'policewom[ae]n', 'поліц\\p{L}*', 'поліцейськ\\p{L}*'), female: /поліцейська|policewom/i, outfit: ['{c1} police uniform, cap, badge'], idle: 'writes a report, yawning' },
  { id: 'royal', en: { m: 'prince', f: 'princess' }, uk: { m: 'принц', f: 'принцеса' }, re: words('kings?', 'queens?', 'princes?', 'princess(?:es)?', 'корол\\p{L}*', 'принц\\p{L}*', 'цар\\p{L}*'), female: /queen|princess|королев|принцес|цариц/i, outfit: ['{c1} royal cloak, gold crown, {c2} tunic'], idle: 'stares out of a tall palace window' },
  { id: 'spy', en: { m: 'spy', f: 'spy' }, uk: { m: 'шпигун', f: 'шпигунка' }, re: words('spies', 'spy', 'agents?', 'шпигун\\p{L}*', 'агент\\p{L}*'), female: /шпигунк|агентк/i, outfit: ['{c1} turtleneck, long {c2} coat, dark glasses'], idle: 'reads a newspaper with holes cut in it' },
  { id: 'thief', en: { m: 'thief', f: 'thief' }, uk: { m: 'злодій', f: 'злодійка' }, re: words('thie(?:f|ves)', 'burglars?', 'robbers?', 'bandits?', 'злоді\\p{L}*', 'крадій\\p{L}*', 'грабіжник\\p{L}*', 'бандит\\p{L}*'), female: /злодійк/i, outfit: ['{c1} striped sweater, {c2} mask, black gloves'], idle: 'counts lock picks on a table', menacing: true },
  { id: 'postman', en: { m: 'postman', f: 'postwoman' }, uk: { m: 'листоноша', f: 'листоноша' }, re: words('postm[ae]n', 'postwom[ae]n', 'couriers?', 'листонош\\p{L}*', "кур['’]єр\\p{L}*"), outfit: ['{c1} postal uniform, {c2} cap, a heavy mail bag'], idle: 'sorts a mountain of letters' },
  { id: 'librarian', en: { m: 'librarian', f: 'librarian' }, uk: { m: 'бібліотекар', f: 'бібліотекарка' }, re: words('librarians?', 'бібліотекар\\p{L}*'), female: /бібліотекарк/i, outfit: ['{c1} cardigan, {c2} scarf, glasses on a chain'], idle: 'stacks old books on a trolley' },
  { id: 'sailor', en: { m: 'captain', f: 'captain' }, uk: { m: 'капітан', f: 'капітанка' }, re: words('sailors?', 'captains?', 'моряк\\p{L}*', 'морячк\\p{L}*', 'капітан\\p{L}*', 'матрос\\p{L}*'), female: /морячк|капітанк/i, outfit: ['{c1} pea coat, striped shirt, captain cap'], idle: 'mends a fishing net on the pier' },
  { id: 'teacher', en: { m: 'teacher', f: 'teacher' }, uk: { m: 'вчитель', f: 'вчителька' }, re: words('teachers?', 'principals?', 'headmaster', 'headmistress', 'professors?', 'вчител\\p{L}*', 'учител\\p{L}*', 'директор\\p{L}* школи', 'професор\\p{L}*'), female: /вчительк|учительк/i, outfit: ['{c1} tweed jacket, {c2} tie, glasses'], idle: 'grades a stack of notebooks' },
  { id: 'keeper', en: { m: 'lighthouse keeper', f: 'lighthouse keeper' }, uk: { m: 'доглядач маяка', f: 'доглядачка маяка' }, re: words('lighthouse keepers?', 'keepers?', 'доглядач\\p{L}* маяка', 'доглядач\\p{L}*'), female: /доглядачк/i, outfit: ['yellow oilskin coat, {c1} knitted hat, rubber boots'], idle: 'polishes the great lamp' },
  { id: 'soldier', en: { m: 'soldier', f: 'soldier' }, uk: { m: 'солдат', f: 'військова' }, re: words('soldiers?', 'veterans?', 'warriors?', 'солдат\\p{L}*', 'воїн\\p{L}*', 'військов\\p{L}*', 'ветеран\\p{L}*'), female: /військова|військову|ветеранк|воїтельк/i, outfit: ['olive field jacket with a {c1} patch, cargo trousers, army boots'], idle: 'writes a letter home by lamplight' },
  { id: 'superhero', en: { m: 'superhero', f: 'superheroine' }, uk: { m: 'супергерой', f: 'супергероїня' }, re: words('superheroe?s?', 'superheroines?', 'супергеро\\p{L}*'), female: /superheroine|супергероїн/i, outfit: ['{c1} suit with a {c2} cape, mask and a bold emblem'], idle: 'watches the city from a rooftop' },
  { id: 'vampire', en: { m: 'vampire', f: 'vampire' }, uk: { m: 'вампір', f: 'вампірка' }, re: words('vampires?', 'вампір\\p{L}*'), female: /вампірк/i, outfit: ['black cape with a high {c1} collar, pale face, {c2} waistcoat'], idle: 'closes the curtains against the sun', menacing: true },
  { id: 'zombie', en: { m: 'zombie', f: 'zombie' }, uk: { m: 'зомбі', f: 'зомбі' }, re: words('zombies?', 'зомбі'), outfit: ['torn {c1} shirt, ragged {c2} trousers, grey-green skin'], idle: 'shuffles through the fog', menacing: true },
  { id: 'ninja', en: { m: 'ninja', f: 'ninja' }, uk: { m: 'ніндзя', f: 'ніндзя' }, re: words('ninjas?', 'samurai', 'ніндзя', 'самура\\p{L}*'), outfit: ['{c1} ninja suit, {c2} headband'], idle: 'practises quietly on the roof' },
  // Roles ideas name often enough that a stand-in hero would miss the point.
  { id: 'programmer', en: { m: 'programmer', f: 'programmer' }, uk: { m: 'програміст', f: 'програмістка' }, re: words('programmers?', 'coders?', 'developers?', 'hackers?', 'програміст\\p{L}*', 'розробни\\p{L}*', 'хакер\\p{L}*'), female: /програмістк|розробниц|хакерк/i, outfit: ['{c1} hoodie, headphones around the neck, {c2} sneakers'], idle: 'types fast in front of two glowing screens' },
  { id: 'farmer', en: { m: 'farmer', f: 'farmer' }, uk: { m: 'фермер', f: 'фермерка' }, re: words('farmers?', 'фермер\\p{L}*', 'селян\\p{L}*'), female: /фермерк|селянк/i, outfit: ['{c1} overalls over a checked shirt, straw hat, rubber boots'], idle: 'forks hay into a cart' },
  { id: 'writer', en: { m: 'writer', f: 'writer' }, uk: { m: 'письменник', f: 'письменниця' }, re: words('writers?', 'authors?', 'novelists?', 'poets?', 'письменни\\p{L}*', 'поет\\p{L}*', 'автор\\p{L}*'), female: /письменниц|поетес|авторк/i, outfit: ['{c1} corduroy jacket, {c2} scarf, ink-stained fingers'], idle: 'stares at a blank page over cold coffee' },
  { id: 'gardener', en: { m: 'gardener', f: 'gardener' }, uk: { m: 'садівник', f: 'садівниця' }, re: words('gardeners?', 'садівни\\p{L}*', 'садовни\\p{L}*'), female: /садівниц|садовниц/i, outfit: ['{c1} apron with pockets of tools, {c2} gloves, wide-brimmed hat'], idle: 'waters a row of seedlings' },
  { id: 'photographer', en: { m: 'photographer', f: 'photographer' }, uk: { m: 'фотограф', f: 'фотографка' }, re: words('photographers?', 'фотограф', 'фотографа', 'фотографові', 'фотографом', 'фотографи', 'фотографів', 'фотографк\\p{L}*'), female: /фотографк/i, outfit: ['{c1} field vest with many pockets, {c2} cap, a camera on a strap'], idle: 'checks the light through a viewfinder' },
  { id: 'fisherman', en: { m: 'fisherman', f: 'fisherwoman' }, uk: { m: 'рибалка', f: 'рибалка' }, re: words('fisherm[ae]n', 'fisherwom[ae]n', 'fishers?', 'рибалк\\p{L}*', 'рибак\\p{L}*'), female: /fisherwom/i, outfit: ['{c1} oilskin coat, {c2} knitted hat, rubber boots'], idle: 'mends a fishing net on the pier' },
]

export type SettingKind = 'city' | 'forest' | 'sea' | 'village' | 'space' | 'castle' | 'mountains' | 'desert'

export interface PlaceEntry {
  id: string
  setting: SettingKind
  name: Term
  // Preposition and case for "in <place>" in Ukrainian, and the English phrase.
  ukIn: { prep: string; case: 'loc' | 'gen' }
  enIn: string
  // What the establishing shot shows, in English art direction.
  landmark: string
  seaside?: boolean
  named: boolean
  re: RegExp
}

const KYIV = term('Kyiv', 'm', 'Київ|Києва|Києву|Київ|Києвом|Києві')

export const PLACES: PlaceEntry[] = [
  { id: 'kyiv', setting: 'city', name: KYIV, ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: true, landmark: 'golden church domes, chestnut trees and old houses above the wide Dnipro river', re: words('kyiv', 'kiev', 'київ', 'києв\\p{L}*') },
  { id: 'lviv', setting: 'city', name: term('Lviv', 'm', 'Львів|Львова|Львову|Львів|Львовом|Львові'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: true, landmark: 'a cobbled old town with a tall town hall tower and tiled roofs', re: words('lviv', 'lvov', 'львів', 'львов\\p{L}*') },
  { id: 'odesa', setting: 'city', name: term('Odesa', 'f', 'Одеса|Одеси|Одесі|Одесу|Одесою|Одесі'), ukIn: { prep: 'в', case: 'loc' }, enIn: 'in', named: true, seaside: true, landmark: 'a seaside city with a grand staircase down to the port and the sea', re: words('odes?sa', 'одес\\p{L}*') },
  { id: 'kharkiv', setting: 'city', name: term('Kharkiv', 'm', 'Харків|Харкова|Харкову|Харків|Харковом|Харкові'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: true, landmark: 'wide avenues, a huge square and constructivist buildings', re: words('kharkiv', 'kharkov', 'харків', 'харков\\p{L}*') },
  { id: 'paris', setting: 'city', name: term('Paris', 'm', 'Париж|Парижа|Парижу|Париж|Парижем|Парижі'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: true, landmark: 'zinc rooftops, cafés and the Eiffel Tower in the distance', re: words('paris', 'париж\\p{L}*') },
  { id: 'london', setting: 'city', name: term('London', 'm', 'Лондон|Лондона|Лондону|Лондон|Лондоном|Лондоні'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: true, landmark: 'brick houses, red buses and a clock tower by the river', re: words('london', 'лондон\\p{L}*') },
  { id: 'newyork', setting: 'city', name: term('New York', 'm', 'Нью-Йорк|Нью-Йорка|Нью-Йорку|Нью-Йорк|Нью-Йорком|Нью-Йорку'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: true, landmark: 'skyscrapers, water towers and yellow taxis', re: words('new york', 'nyc', 'нью-йорк\\p{L}*') },
  { id: 'tokyo', setting: 'city', name: term('Tokyo', 'n', 'Токіо'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: true, landmark: 'neon signs, narrow lanes and a tall tower', re: words('tokyo', 'токіо') },
  { id: 'venice', setting: 'city', name: term('Venice', 'f', 'Венеція|Венеції|Венеції|Венецію|Венецією|Венеції'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: true, seaside: true, landmark: 'canals, gondolas and arched stone bridges', re: words('venice', 'венеці\\p{L}*') },
  { id: 'mars', setting: 'space', name: term('Mars', 'm', 'Марс|Марса|Марсу|Марс|Марсом|Марсі'), ukIn: { prep: 'на', case: 'loc' }, enIn: 'on', named: true, landmark: 'a red rocky desert with craters under a pale pink sky, a small base with domes', re: words('mars', 'марс', 'марса', 'марсі', 'марсу', 'марсом') },
  { id: 'moon', setting: 'space', name: term('the Moon', 'm', 'Місяць|Місяця|Місяцю|Місяць|Місяцем|Місяці', 'Moon'), ukIn: { prep: 'на', case: 'loc' }, enIn: 'on', named: true, landmark: 'a grey cratered plain under a black starry sky, the Earth hanging above', re: words('moon', 'lunar', 'місяц\\p{L}*') },
  { id: 'carpathians', setting: 'mountains', name: term('the Carpathians', 'pl', 'Карпати|Карпат|Карпатам|Карпати|Карпатами|Карпатах', 'Carpathians'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: true, landmark: 'green mountain slopes with fir trees, mist and a wooden hut', re: words('carpathians?', 'карпат\\p{L}*') },
  { id: 'city', setting: 'city', name: term('the city', 'n', 'місто|міста|місту|місто|містом|місті', 'city'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: false, landmark: 'an old city of roofs, towers and narrow streets', re: words('city', 'town', 'streets?', 'місто', 'міста', 'місті', 'містом', 'місту', 'містечк\\p{L}*', 'вулиц\\p{L}*') },
  { id: 'forest', setting: 'forest', name: term('the forest', 'm', 'ліс|лісу|лісу|ліс|лісом|лісі', 'forest'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: false, landmark: 'a deep green forest of tall old trees', re: words('forests?', 'woods', 'jungle', 'ліс', 'лісу', 'лісі', 'лісом', 'лісах', 'лісів', 'ліси', 'лісов\\p{L}*', 'гай', 'джунгл\\p{L}*') },
  { id: 'sea', setting: 'sea', name: term('the sea', 'n', 'море|моря|морю|море|морем|морі', 'sea'), ukIn: { prep: 'біля', case: 'gen' }, enIn: 'by', named: false, seaside: true, landmark: 'a rocky coast by the open sea with a lighthouse', re: words('seas?', 'ocean', 'beach', 'coast', 'море', 'моря', 'морі', 'морю', 'морем', 'океан\\p{L}*', 'пляж\\p{L}*', 'узбережж\\p{L}*') },
  { id: 'village', setting: 'village', name: term('the village', 'n', 'село|села|селу|село|селом|селі', 'village'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: false, landmark: 'a village of white houses, sunflowers and fields', re: words('villages?', 'farms?', 'farmhouses?', 'barns?', 'село', 'села', 'селі', 'селом', 'селу', 'ферм\\p{L}*', 'хутор\\p{L}*', 'стодол\\p{L}*', 'сара(?:й|ю|ї|єм|ях)') },
  { id: 'space', setting: 'space', name: term('space', 'm', 'космос|космосу|космосу|космос|космосом|космосі'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: false, landmark: 'a space station orbiting a ringed planet among the stars', re: words('space', 'galaxy', 'spaceships?', 'starships?', 'planets?', 'космос\\p{L}*', 'космічн\\p{L}*', 'галактик\\p{L}*', 'зореліт\\p{L}*', 'планет\\p{L}*') },
  { id: 'castle', setting: 'castle', name: term('the castle', 'm', 'замок|замку|замку|замок|замком|замку', 'castle'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: false, landmark: 'a castle with tall towers on a hill', re: words('castles?', 'palace', 'kingdom', 'замок', 'замку', 'замки', 'палац\\p{L}*', 'королівств\\p{L}*') },
  { id: 'mountains', setting: 'mountains', name: term('the mountains', 'pl', 'гори|гір|горам|гори|горами|горах', 'mountains'), ukIn: { prep: 'в', case: 'loc' }, enIn: 'in', named: false, landmark: 'snowy mountain peaks above a valley', re: words('mountains?', 'peaks?', 'hills?', 'гори', 'горах', 'горам', 'гора', 'гору', 'гір', 'вершин\\p{L}*') },
  { id: 'desert', setting: 'desert', name: term('the desert', 'f', 'пустеля|пустелі|пустелі|пустелю|пустелею|пустелі', 'desert'), ukIn: { prep: 'у', case: 'loc' }, enIn: 'in', named: false, landmark: 'golden sand dunes and ancient ruins', re: words('deserts?', 'dunes?', 'пустел\\p{L}*', 'пустин\\p{L}*') },
  { id: 'island', setting: 'sea', name: term('the island', 'm', 'острів|острова|острову|острів|островом|острові', 'island'), ukIn: { prep: 'на', case: 'loc' }, enIn: 'on', named: false, seaside: true, landmark: 'a small island with palm trees and a lighthouse in the sea', re: words('islands?', 'острів', 'острова', 'острові', 'островом') },
]

export type Weather = 'rain' | 'snow' | 'fog' | 'night'

export interface WeatherEntry {
  id: Weather
  adj: Adjective
  re: RegExp
}

export const WEATHERS: WeatherEntry[] = [
  { id: 'rain', adj: adjective('rainy', 'дощовий'), re: words('rain(?:y|ing|s)?', 'storm(?:y|s)?', 'дощ\\p{L}*', 'злив\\p{L}*', 'гроз\\p{L}*') },
  { id: 'snow', adj: adjective('snowy', 'сніжний'), re: words('snow(?:y|ing)?', 'winter', 'frost(?:y)?', 'сніг\\p{L}*', 'сніж\\p{L}*', 'зим\\p{L}*', 'мороз\\p{L}*') },
  { id: 'fog', adj: adjective('foggy', 'туманний'), re: words('fog(?:gy)?', 'mist(?:y)?', 'туман\\p{L}*', 'імл\\p{L}*') },
  { id: 'night', adj: adjective('night-time', 'нічний'), re: words('night', 'midnight', 'dark', 'ніч\\p{L}*', 'нічн\\p{L}*', 'опівноч\\p{L}*', 'темряв\\p{L}*') },
]

export type Genre = 'mystery' | 'rescue' | 'quest' | 'scifi' | 'fantasy' | 'spooky'
export const GENRES: Genre[] = ['mystery', 'rescue', 'fantasy', 'scifi', 'spooky', 'quest']

// What the heroes set out to do with the object, when the idea says it in so many words ("fix a rocket").
export type Action = 'fix' | 'build'
export const ACTIONS: { id: Action; re: RegExp }[] = [
  { id: 'fix', re: words('fix(?:es|ed|ing)?', 'repair\\w*', 'mend(?:s|ed|ing)?', 'полаг\\p{L}*', 'лагод\\p{L}*', 'ремонт\\p{L}*', 'відремонт\\p{L}*') },
  { id: 'build', re: words('build(?:s|ing)?', 'built', 'construct\\w*', 'будує\\p{L}*', 'будува\\p{L}*', 'збуду\\p{L}*', 'побуду\\p{L}*', 'змайстр\\p{L}*', 'майстру\\p{L}*') },
]

export const GENRE_CUES: Record<Genre, RegExp> = {
  mystery: words('detectives?', 'myster(?:y|ies)', 'case', 'clues?', 'stole', 'stolen', 'steal\\w*', 'thie(?:f|ves)', 'missing', 'disappear\\w*', 'vanish\\w*', 'crime', 'spy', 'детектив\\p{L}*', 'таємниц\\p{L}*', 'загадк\\p{L}*', 'справа', 'справу', 'розслід\\p{L}*', 'вкра\\p{L}*', 'украд\\p{L}*', 'крад\\p{L}*', 'злоді\\p{L}*', 'зник\\p{L}*', 'шпигун\\p{L}*'),
  rescue: words('sav(?:e|es|ing)', 'rescu\\w*', 'fix(?:es|ed|ing)?', 'repair\\w*', 'mend\\w*', 'полаг\\p{L}*', 'ремонт\\p{L}*', 'відремонт\\p{L}*', 'лагод\\p{L}*', 'protect\\w*', 'help\\w*', 'defend\\w*', 'рят\\p{L}*', 'врят\\p{L}*', 'захищ\\p{L}*', 'захист\\p{L}*', 'бороня\\p{L}*', 'допомаг\\p{L}*', 'допомож\\p{L}*'),
  quest: words('find\\w*', 'search\\w*', 'seek\\w*', 'quest', 'journey', 'treasure', 'travel\\w*', 'шука\\p{L}*', 'знай\\p{L}*', 'знаход\\p{L}*', 'пошук\\p{L}*', 'мандр\\p{L}*', 'подорож\\p{L}*', 'скарб\\p{L}*'),
  scifi: words('robots?', 'space\\w*', 'rockets?', 'astronauts?', 'ракет\\p{L}*', 'астронавт\\p{L}*', 'космонавт\\p{L}*', 'planets?', 'mars', 'aliens?', 'future', 'starships?', 'androids?', 'cyber\\w*', 'робот\\p{L}*', 'космос\\p{L}*', 'космічн\\p{L}*', 'планет\\p{L}*', 'марс\\p{L}*', 'прибул\\p{L}*', 'майбутн\\p{L}*', 'андроїд\\p{L}*'),
  fantasy: words('dragons?', 'witch\\w*', 'wizards?', 'magic\\w*', 'spells?', 'curse\\w*', 'knights?', 'castles?', 'kingdom', 'fair(?:y|ies)', 'elf', 'elves', 'дракон\\p{L}*', 'відьм\\p{L}*', 'чарів\\p{L}*', 'чакл\\p{L}*', 'магі\\p{L}*', 'закля\\p{L}*', 'прокля\\p{L}*', 'лицар\\p{L}*', 'замок', 'королівств\\p{L}*', 'фея', 'феї'),
  spooky: words('ghosts?', 'haunt\\w*', 'horror', 'vampires?', 'zombies?', 'monsters?', 'creepy', 'scary', 'cemetery', 'graveyard', 'привид\\p{L}*', 'примар\\p{L}*', 'вампір\\p{L}*', 'жах\\p{L}*', 'страш\\p{L}*', 'монстр\\p{L}*', 'цвинтар\\p{L}*', 'кладовищ\\p{L}*'),
}

export interface ObjectEntry {
  id: string
  name: Term
  re: RegExp
  // Extra places the story may visit because of this object (sublocation ids).
  places?: string[]
  // Where such an object belongs when the idea names no place.
  setting?: SettingKind
}

export const OBJECTS: ObjectEntry[] = [
  { id: 'tram', name: term('the tram', 'm', 'трамвай|трамвая|трамваю|трамвай|трамваєм|трамваї', 'tram'), re: words('trams?', 'streetcars?', 'трамва\\p{L}*'), places: ['depot', 'tram'], setting: 'city' },
  { id: 'painting', name: term('the painting', 'f', 'картина|картини|картині|картину|картиною|картині', 'painting'), re: words('paintings?', 'portraits?', 'pictures?', 'картин\\p{L}*', 'портрет\\p{L}*'), places: ['museum'], setting: 'city' },
  { id: 'violin', name: term('the violin', 'f', 'скрипка|скрипки|скрипці|скрипку|скрипкою|скрипці', 'violin'), re: words('violins?', 'fiddles?', 'скрипк\\p{L}*', 'скрипок'), places: ['museum'] },
  { id: 'key', name: term('the key', 'm', 'ключ|ключа|ключу|ключ|ключем|ключі', 'key'), re: words('keys?', 'ключ\\p{L}*') },
  { id: 'map', name: term('the map', 'f', 'мапа|мапи|мапі|мапу|мапою|мапі', 'map'), re: words('maps?', 'мап\\p{L}*', 'карта', 'карту', 'карти') },
  { id: 'letter', name: term('the letter', 'm', 'лист|листа|листу|лист|листом|листі', 'letter'), re: words('letters?', 'лист', 'листа', 'листі', 'листом', 'листи', 'листів') },
  { id: 'clock', name: term('the clock', 'm', 'годинник|годинника|годиннику|годинник|годинником|годиннику', 'clock'), re: words('clocks?', 'watch', 'годинник\\p{L}*'), places: ['tower'] },
  { id: 'lantern', name: term('the lantern', 'm', 'ліхтар|ліхтаря|ліхтарю|ліхтар|ліхтарем|ліхтарі', 'lantern'), re: words('lanterns?', 'lamps?', 'ліхтар\\p{L}*') },
  { id: 'crown', name: term('the crown', 'f', 'корона|корони|короні|корону|короною|короні', 'crown'), re: words('crowns?', 'корон\\p{L}*'), setting: 'castle' },
  { id: 'egg', name: term('the egg', 'n', 'яйце|яйця|яйцю|яйце|яйцем|яйці', 'egg'), re: words('eggs?', 'яйц\\p{L}*', 'яєць') },
  { id: 'book', name: term('the book', 'f', 'книга|книги|книзі|книгу|книгою|книзі', 'book'), re: words('books?', 'diar(?:y|ies)', 'книг\\p{L}*', 'книжк\\p{L}*', 'щоденник\\p{L}*'), places: ['library'] },
  { id: 'bell', name: term('the bell', 'm', 'дзвін|дзвона|дзвону|дзвін|дзвоном|дзвоні', 'bell'), re: words('bells?', 'дзвін', 'дзвона', 'дзвони', 'дзвоні', 'дзвоном', 'дзвонів'), places: ['tower'] },
  { id: 'lighthouse', name: term('the lighthouse', 'm', 'маяк|маяка|маяку|маяк|маяком|маяку', 'lighthouse'), re: words('lighthouses?', 'маяк\\p{L}*'), places: ['lighthouse'], setting: 'sea' },
  { id: 'oak', name: term('the oak', 'm', 'дуб|дуба|дубу|дуб|дубом|дубі', 'oak'), re: words('trees?', 'oaks?', 'дуб\\p{L}*', 'дерев[оаі]', 'дерева'), setting: 'forest' },
  { id: 'ship', name: term('the ship', 'm', 'корабель|корабля|кораблю|корабель|кораблем|кораблі', 'ship'), re: words('ships?', 'boats?', 'корабл\\p{L}*', 'корабель', 'човен', 'човн\\p{L}*'), places: ['harbour', 'deck'], setting: 'sea' },
  { id: 'star', name: term('the star', 'f', 'зірка|зірки|зірці|зірку|зіркою|зірці', 'star'), re: words('stars?', 'зірк\\p{L}*', 'зірок') },
  { id: 'treasure', name: term('the treasure', 'm', 'скарб|скарбу|скарбу|скарб|скарбом|скарбі', 'treasure'), re: words('treasures?', 'скарб\\p{L}*') },
  { id: 'wand', name: term('the wand', 'f', 'паличка|палички|паличці|паличку|паличкою|паличці', 'wand'), re: words('wands?', 'паличк\\p{L}*') },
  { id: 'rocket', name: term('the rocket', 'f', 'ракета|ракети|ракеті|ракету|ракетою|ракеті', 'rocket'), re: words('rockets?', 'ракет\\p{L}*'), setting: 'space' },
  { id: 'cake', name: term('the cake', 'm', 'торт|торта|торту|торт|тортом|торті', 'cake'), re: words('cakes?', 'pies?', 'торт\\p{L}*', 'пиріг', 'пирог\\p{L}*') },
  { id: 'garden', name: term('the garden', 'm', 'сад|саду|саду|сад|садом|саду', 'garden'), re: words('gardens?', 'сад', 'саду', 'садом', 'сади') },
  { id: 'theatre', name: term('the theatre', 'm', 'театр|театру|театру|театр|театром|театрі', 'theatre'), re: words('theat(?:er|re)s?', 'cinemas?', 'театр\\p{L}*', 'кінотеатр\\p{L}*'), setting: 'city' },
  { id: 'umbrella', name: term('the umbrella', 'f', 'парасолька|парасольки|парасольці|парасольку|парасолькою|парасольці', 'umbrella'), re: words('umbrellas?', 'парасол\\p{L}*') },
  { id: 'necklace', name: term('the necklace', 'n', 'намисто|намиста|намисту|намисто|намистом|намисті', 'necklace'), re: words('necklaces?', 'jewels?', 'diamonds?', 'намист\\p{L}*', 'діамант\\p{L}*'), places: ['museum'] },
  { id: 'reactor', name: term('the reactor', 'm', 'реактор|реактора|реактору|реактор|реактором|реакторі', 'reactor'), re: words('reactors?', 'engines?', 'реактор\\p{L}*', 'двигун\\p{L}*'), setting: 'space' },
  // Things ideas often turn on that the story used to swap for a golden key or a lost treasure.
  { id: 'radio', name: term('the radio', 'n', 'радіо', 'radio'), re: words('radios?', 'transmitters?', 'радіо', 'радіоприймач\\p{L}*', 'передавач\\p{L}*') },
  { id: 'camera', name: term('the camera', 'm', 'фотоапарат|фотоапарата|фотоапарату|фотоапарат|фотоапаратом|фотоапараті', 'camera'), re: words('cameras?', 'фотоапарат\\p{L}*', 'камер\\p{L}*') },
  { id: 'photo', name: term('the photograph', 'f', 'фотографія|фотографії|фотографії|фотографію|фотографією|фотографії', 'photograph'), re: words('photos?', 'photographs?', 'фото', 'фотографі\\p{L}*', 'світлин\\p{L}*') },
  { id: 'phone', name: term('the phone', 'm', 'телефон|телефону|телефону|телефон|телефоном|телефоні', 'phone'), re: words('phones?', 'smartphones?', 'телефон\\p{L}*', 'смартфон\\p{L}*') },
  { id: 'recipe', name: term('the recipe', 'm', 'рецепт|рецепта|рецепту|рецепт|рецептом|рецепті', 'recipe'), re: words('recipes?', 'рецепт\\p{L}*') },
  { id: 'sourdough', name: term('the sourdough starter', 'f', 'закваска|закваски|заквасці|закваску|закваскою|заквасці', 'sourdough starter'), re: words('sourdough(?:\\s+starters?)?', 'закваск\\p{L}*', 'заквас\\p{L}*') },
  { id: 'ring', name: term('the ring', 'm', 'перстень|персня|персню|перстень|перснем|персні', 'ring'), re: words('rings?', 'перстен\\p{L}*', 'персн\\p{L}*', 'каблучк\\p{L}*'), places: ['museum'] },
  { id: 'sword', name: term('the sword', 'm', 'меч|меча|мечу|меч|мечем|мечі', 'sword'), re: words('swords?', 'blades?', 'меч', 'меча', 'мечу', 'мечем', 'мечі', 'мечів'), setting: 'castle' },
  { id: 'guitar', name: term('the guitar', 'f', 'гітара|гітари|гітарі|гітару|гітарою|гітарі', 'guitar'), re: words('guitars?', 'гітар\\p{L}*') },
  { id: 'piano', name: term('the piano', 'n', 'піаніно', 'piano'), re: words('pianos?', 'піаніно', 'роял\\p{L}*', 'фортепіано') },
  { id: 'telescope', name: term('the telescope', 'm', 'телескоп|телескопа|телескопу|телескоп|телескопом|телескопі', 'telescope'), re: words('telescopes?', 'телескоп\\p{L}*') },
  { id: 'compass', name: term('the compass', 'm', 'компас|компаса|компасу|компас|компасом|компасі', 'compass'), re: words('compass(?:es)?', 'компас\\p{L}*') },
  { id: 'mirror', name: term('the mirror', 'n', 'дзеркало|дзеркала|дзеркалу|дзеркало|дзеркалом|дзеркалі', 'mirror'), re: words('mirrors?', 'дзеркал\\p{L}*') },
  { id: 'bicycle', name: term('the bicycle', 'm', 'велосипед|велосипеда|велосипеду|велосипед|велосипедом|велосипеді', 'bicycle'), re: words('bicycles?', 'bikes?', 'велосипед\\p{L}*', 'ровер\\p{L}*'), setting: 'city' },
  { id: 'fish', name: term('the fish', 'f', 'рибка|рибки|рибці|рибку|рибкою|рибці', 'fish'), re: words('fish(?:es)?', 'риба', 'риби', 'рибі', 'рибу', 'рибою', 'рибка', 'рибки', 'рибці', 'рибку', 'рибкою', 'рибок'), setting: 'sea' },
  { id: 'flower', name: term('the flower', 'f', 'квітка|квітки|квітці|квітку|квіткою|квітці', 'flower'), re: words('flowers?', 'roses?', 'квітк\\p{L}*', 'квіт', 'квіти', 'квітів', 'троянд\\p{L}*') },
  { id: 'time-machine', name: term('the time machine', 'f', 'машина часу|машини часу|машині часу|машину часу|машиною часу|машині часу', 'time machine'), re: words('time[- ]machines?', 'машин\\p{L}* часу') },
  { id: 'station', name: term('the station', 'f', 'станція|станції|станції|станцію|станцією|станції', 'station'), re: words('stations?', 'станці\\p{L}*') },
  { id: 'game', name: term('the game', 'f', 'гра|гри|грі|гру|грою|грі', 'game'), re: words('(?:video\\s+)?games?', 'гра', 'гри', 'грі', 'гру', 'грою', 'відеогр\\p{L}*') },
  { id: 'school', name: term('the school', 'f', 'школа|школи|школі|школу|школою|школі', 'school'), re: words('schools?', 'academ(?:y|ies)', 'школ\\p{L}*', 'академі\\p{L}*'), setting: 'city' },
  { id: 'bakery', name: term('the bakery', 'f', 'пекарня|пекарні|пекарні|пекарню|пекарнею|пекарні', 'bakery'), re: words('baker(?:y|ies)', 'пекарн\\p{L}*') },
  { id: 'hospital', name: term('the hospital', 'f', 'лікарня|лікарні|лікарні|лікарню|лікарнею|лікарні', 'hospital'), re: words('hospitals?', 'лікарн\\p{L}*'), setting: 'city' },
  { id: 'tower', name: term('the tower', 'f', 'вежа|вежі|вежі|вежу|вежею|вежі', 'tower'), re: words('towers?', 'веж\\p{L}*'), setting: 'castle' },
  { id: 'door', name: term('the door', 'pl', 'двері|дверей|дверям|двері|дверима|дверях', 'door'), re: words('doors?', 'doorways?', 'двер\\p{L}*') },
  { id: 'train', name: term('the train', 'm', 'потяг|потяга|потягу|потяг|потягом|потязі', 'train'), re: words('trains?', 'потяг\\p{L}*', 'поїзд\\p{L}*'), places: ['depot'] },
  { id: 'blueprint', name: term('the blueprint', 'n', 'креслення|креслення|кресленню|креслення|кресленням|кресленні', 'blueprint'), re: words('secret plans', 'blueprints?', 'креслен\\p{L}*') },
]

// What a genre is after when the idea names nothing: object id and an adjective key.
export const DEFAULT_OBJECTS: Record<Genre, Array<[string, string]>> = {
  mystery: [['violin', 'famous'], ['painting', 'famous'], ['necklace', 'silver'], ['key', 'golden'], ['letter', 'secret']],
  rescue: [['tram', 'old'], ['lighthouse', 'old'], ['garden', 'secret'], ['theatre', 'old'], ['oak', 'giant']],
  quest: [['map', 'old'], ['treasure', 'lost'], ['key', 'golden'], ['star', 'lost']],
  scifi: [['reactor', 'broken'], ['star', 'blue'], ['map', 'secret'], ['ship', 'lost']],
  fantasy: [['crown', 'golden'], ['egg', 'magic'], ['lantern', 'magic'], ['book', 'magic']],
  spooky: [['clock', 'old'], ['bell', 'old'], ['letter', 'old'], ['book', 'black']],
}

export interface AdjectiveEntry {
  id: string
  adj: Adjective
  re: RegExp
}

function hard(stem: string): string {
  return `${stem}(?:ий|а|е|ого|ої|ому|ій|у|ою|им|і|их|ими)`
}

export const ADJECTIVES: AdjectiveEntry[] = [
  { id: 'old', adj: adjective('old', 'старий'), re: words('old', 'ancient', 'elderly', 'retired', 'aged', hard('стар'), 'старен\\p{L}*', 'давн\\p{L}*', 'літн\\p{L}*') },
  { id: 'magic', adj: adjective('magic', 'чарівний'), re: words('magic(?:al)?', 'enchanted', hard('чарівн'), hard('магічн')) },
  { id: 'golden', adj: adjective('golden', 'золотий'), re: words('golden', hard('золот')) },
  { id: 'silver', adj: adjective('silver', 'срібний'), re: words('silver', hard('срібн')) },
  { id: 'secret', adj: adjective('secret', 'таємний'), re: words('secret', 'hidden', hard('таємн')) },
  { id: 'lost', adj: adjective('lost', 'загублений'), re: words('lost', hard('загублен')) },
  { id: 'stolen', adj: adjective('stolen', 'вкрадений'), re: words('stolen', hard('вкраден'), hard('украден')) },
  { id: 'missing', adj: adjective('missing', 'зниклий'), re: words('missing', 'vanished', 'kidnapped', hard('зникл'), hard('викраден')) },
  { id: 'giant', adj: adjective('giant', 'велетенський'), re: words('giant', 'huge', hard('велетенськ'), hard('величезн')) },
  { id: 'little', adj: adjective('little', 'маленький'), re: words('little', 'tiny', hard('маленьк'), hard('крихітн')) },
  { id: 'broken', adj: adjective('broken', 'зламаний'), re: words('broken', hard('зламан')) },
  { id: 'last', adj: adjective('last', 'останній'), re: words('last', 'останн\\p{L}*') },
  { id: 'red', adj: adjective('red', 'червоний'), re: words('red', hard('червон')) },
  { id: 'blue', adj: adjective('blue', 'синій'), re: words('blue', 'син(?:ій|я|є|ього|ьої|ьому|ю|ім|і|іх)') },
  { id: 'black', adj: adjective('black', 'чорний'), re: words('black', hard('чорн')) },
  { id: 'famous', adj: adjective('famous', 'знаменитий'), re: words('famous', hard('знаменит'), hard('славетн')) },
  { id: 'wooden', adj: adjective('wooden', 'дерев’яний'), re: words('wooden', "дерев['’]ян\\p{L}*") },
  { id: 'cursed', adj: adjective('cursed', 'проклятий'), re: words('haunted', 'cursed', hard('проклят')) },
]

export const NUMBERS: Array<{ n: number; re: RegExp }> = [
  { n: 2, re: words('two', 'both', 'pair of', 'два', 'дві', 'двоє', 'двійко', 'обидва', 'обидві') },
  { n: 3, re: words('three', 'три', 'троє') },
  { n: 4, re: words('four', 'чотири', 'четверо') },
]
