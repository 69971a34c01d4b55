import { KitsumyError, Style, STYLE_FAMILIES, type StyleFamily, type StyleId } from '../contract/index.ts'

// Flux runs from its own UNET/CLIP/VAE files; SDXL and the anime model from one checkpoint each.
const FLUX_DEV = 'flux1-dev.safetensors'
const SDXL_BASE = 'sd_xl_base_1.0.safetensors'
const ANIMAGINE = 'animagine-xl-4.0.safetensors'

// Hosted endpoints (Replicate, RunPod public) only serve Flux, so every style maps to a Flux model there
// and its prompt recipe carries the look; flat, simple styles use the cheaper schnell.
const HOSTED_DEV = 'black-forest-labs/flux-dev'
const HOSTED_SCHNELL = 'black-forest-labs/flux-schnell'

const NO_LETTERING = 'text, letters, watermark, signature, logo, speech bubble, caption box, frame border, deformed hands, extra fingers, extra limbs, bad anatomy, blurry, lowres, jpeg artifacts'

function negative(extra: string): string {
  return `${extra}, ${NO_LETTERING}`
}

// A LoRA the worker image must carry under models/loras/kitsumy/.
function lora(styleId: StyleId, family: 'flux' | 'sdxl'): string {
  return `kitsumy/${styleId}-${family}.safetensors`
}

const CATALOG: Style[] = [
  {
    id: 'cinematic-photo', family: 'realistic', name: 'Cinematic Photo',
    prompt: 'cinematic film still, photorealistic, anamorphic 35mm lens, shallow depth of field, teal and orange colour grade, volumetric light, natural skin texture, high detail',
    negative: negative('cartoon, anime, illustration, drawing, painting, 3d render, plastic skin'),
    palette: ['#0d1b24', '#f4ead8', '#2f5d6e', '#c7793a', '#e3a857', '#5f7f85'],
    model: { family: 'flux', checkpoint: FLUX_DEV, lora: null, workflow: 'flux-dev', hosted: HOSTED_DEV },
  },
  {
    id: 'painted-realism', family: 'realistic', name: 'Painted Realism',
    prompt: 'realistic oil painting, visible confident brushstrokes, rich glazes, chiaroscuro lighting, museum-quality figurative painting, warm earthy palette',
    negative: negative('photo, anime, cel shading, flat colours, vector art, 3d render'),
    palette: ['#2b1f1a', '#efe3cc', '#6f8fa6', '#8a5a3b', '#c9a15a', '#4f6b4a'],
    model: { family: 'flux', checkpoint: FLUX_DEV, lora: lora('painted-realism', 'flux'), workflow: 'flux-dev-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'soft-watercolor', family: 'realistic', name: 'Soft Watercolour',
    prompt: 'delicate watercolour illustration, soft wet-on-wet washes, light pencil underdrawing, white paper showing through, pastel light, gentle realistic proportions',
    negative: negative('photo, heavy ink outlines, dark, saturated neon, 3d render'),
    palette: ['#3d4a5c', '#fbf7ef', '#a8c8dc', '#d9b8a0', '#e8a0a8', '#9fc29a'],
    model: { family: 'flux', checkpoint: FLUX_DEV, lora: lora('soft-watercolor', 'flux'), workflow: 'flux-dev-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'retro-film', family: 'realistic', name: 'Retro Film',
    prompt: '1970s analog film photograph, Kodachrome colours, soft film grain, warm faded highlights, slight halation, period-accurate wardrobe, candid framing',
    negative: negative('digital look, oversharpened, anime, cartoon, illustration, modern gadgets'),
    palette: ['#2a1e17', '#f1e2c4', '#d8a05a', '#7e9a8c', '#c2573a', '#e8c27a'],
    model: { family: 'flux', checkpoint: FLUX_DEV, lora: lora('retro-film', 'flux'), workflow: 'flux-dev-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'concept-art', family: 'realistic', name: 'Concept Art',
    prompt: 'epic cinematic concept art, matte painting, atmospheric perspective, dramatic rim light, moody colour palette, detailed environment design, realistic proportions',
    negative: negative('photo, anime, chibi, flat colours, childish, cluttered'),
    palette: ['#12161c', '#dfe6e8', '#3e5566', '#6d6a5a', '#d96c2c', '#8aa3b0'],
    model: { family: 'flux', checkpoint: FLUX_DEV, lora: null, workflow: 'flux-dev', hosted: HOSTED_DEV },
  },
  {
    id: 'modern-superhero', family: 'comic', name: 'Modern Superhero',
    prompt: 'modern American superhero comic art, bold confident inks, dynamic foreshortening, saturated digital colours, crisp cel shading, halftone accents',
    negative: negative('photo, photorealistic, 3d render, anime, watercolour, muted colours'),
    palette: ['#101018', '#fdfaf2', '#1f6fd1', '#d8262b', '#f5c518', '#2c9c5a'],
    model: { family: 'sdxl', checkpoint: SDXL_BASE, lora: lora('modern-superhero', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'golden-age', family: 'comic', name: 'Golden Age',
    prompt: '1940s golden age comic book panel, four-colour printing, Ben-Day dots, thick brush inks, yellowed newsprint, simple heroic poses, vintage pulp colours',
    negative: negative('photo, photorealistic, 3d render, modern digital gradients, anime'),
    palette: ['#1c1410', '#f2e6c8', '#d94a3a', '#2f6db0', '#f0c23b', '#4e8a4a'],
    model: { family: 'sdxl', checkpoint: SDXL_BASE, lora: lora('golden-age', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'ligne-claire', family: 'comic', name: 'Ligne Claire',
    prompt: 'ligne claire bande dessinée, clean uniform black outlines, flat bright colours, no hatching, detailed clear backgrounds, Hergé-like European comic',
    negative: negative('photo, 3d render, heavy shadows, hatching, gradients, anime, sketchy lines'),
    palette: ['#1a1a1a', '#fbfbf6', '#7fb8e0', '#e2584a', '#f2cf5b', '#6aa86b'],
    model: { family: 'sdxl', checkpoint: SDXL_BASE, lora: lora('ligne-claire', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_SCHNELL },
  },
  {
    id: 'indie-ink', family: 'comic', name: 'Indie Ink',
    prompt: 'independent graphic novel illustration, expressive brush ink lines, limited muted palette, risograph texture, quiet everyday mood, hand-drawn imperfections',
    negative: negative('photo, 3d render, glossy, superhero, anime, neon'),
    palette: ['#141414', '#f3efe6', '#6b8f8a', '#d1664f', '#e9d8b4', '#3b4a5a'],
    model: { family: 'sdxl', checkpoint: SDXL_BASE, lora: lora('indie-ink', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'pop-art', family: 'comic', name: 'Pop Art',
    prompt: 'pop art comic panel, Lichtenstein style, enlarged Ben-Day dots, thick black outlines, primary colours, flat graphic shapes, high contrast',
    negative: negative('photo, 3d render, soft gradients, muted colours, anime, watercolour'),
    palette: ['#000000', '#ffffff', '#ff2e88', '#00b7eb', '#ffe600', '#ff3b30'],
    model: { family: 'sdxl', checkpoint: SDXL_BASE, lora: lora('pop-art', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_SCHNELL },
  },
  {
    id: 'shonen', family: 'manga', name: 'Shōnen',
    prompt: 'shonen manga panel, black and white, dynamic action lines, screentone shading, sharp expressive eyes, energetic poses, high contrast ink',
    negative: negative('colour, photo, 3d render, western comic, watercolour, blurry lines'),
    palette: ['#0a0a0a', '#ffffff', '#bdbdbd', '#6e6e6e', '#d63a3a'],
    model: { family: 'anime', checkpoint: ANIMAGINE, lora: null, workflow: 'sdxl', hosted: HOSTED_DEV },
  },
  {
    id: 'shojo', family: 'manga', name: 'Shōjo',
    prompt: 'shojo manga illustration, delicate fine lines, large sparkling eyes, soft pink screentones, floral and bubble backgrounds, romantic dreamy mood',
    negative: negative('photo, 3d render, gritty, gore, western comic, heavy blacks'),
    palette: ['#2a2230', '#fffafc', '#f6cfdc', '#cdbde8', '#f29bb5'],
    model: { family: 'anime', checkpoint: ANIMAGINE, lora: lora('shojo', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'seinen', family: 'manga', name: 'Seinen',
    prompt: 'seinen manga panel, mature realistic proportions, dense crosshatching, gritty screentones, cinematic framing, black and white ink, detailed backgrounds',
    negative: negative('colour, chibi, cute, photo, 3d render, western comic'),
    palette: ['#050505', '#f2f2ee', '#8a8a86', '#4a4a48', '#b8b8b2'],
    model: { family: 'anime', checkpoint: ANIMAGINE, lora: lora('seinen', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'chibi', family: 'manga', name: 'Chibi',
    prompt: 'cute chibi anime illustration, super-deformed proportions with big heads, round shapes, pastel colours, thick soft outlines, playful expressions',
    negative: negative('realistic proportions, photo, 3d render, gritty, horror, gore'),
    palette: ['#3a2e2a', '#fffdf7', '#ffd6a5', '#a0e7e5', '#ffaaa5', '#b4f8c8'],
    model: { family: 'anime', checkpoint: ANIMAGINE, lora: lora('chibi', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_SCHNELL },
  },
  {
    id: 'webtoon', family: 'manga', name: 'Webtoon',
    prompt: 'korean webtoon digital illustration, clean thin lineart, soft cel shading with gentle gradients, bright full colour, vertical scroll comic look, modern fashion',
    negative: negative('photo, 3d render, black and white, screentone, grainy, sketchy'),
    palette: ['#1d2433', '#f9fbff', '#8ec5ff', '#ffb4a2', '#6c7ae0', '#ffe08a'],
    model: { family: 'anime', checkpoint: ANIMAGINE, lora: lora('webtoon', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_SCHNELL },
  },
  {
    id: 'classic-noir', family: 'noir', name: 'Classic Noir',
    prompt: 'film noir comic panel, stark black and white, deep shadows, venetian-blind light, rain-slick streets, heavy spotted blacks, fine hatching, 1940s crime mood',
    negative: negative('colour, bright, cheerful, anime, photo, pastel'),
    palette: ['#000000', '#f5f5f0', '#1c1c1c', '#7a7a7a', '#c8c8c0'],
    model: { family: 'sdxl', checkpoint: SDXL_BASE, lora: lora('classic-noir', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'ink-wash', family: 'noir', name: 'Ink Wash',
    prompt: 'sumi-e ink wash illustration, loose brush strokes, grey ink gradations, rice paper texture, negative space, atmospheric and quiet',
    negative: negative('colour, photo, 3d render, hard digital lines, cluttered'),
    palette: ['#111111', '#f4f1e8', '#5c5c5c', '#9a9a94', '#2e2e2e'],
    model: { family: 'sdxl', checkpoint: SDXL_BASE, lora: lora('ink-wash', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'pulp-crime', family: 'noir', name: 'Pulp Crime',
    prompt: 'lurid pulp crime magazine illustration, heavy inks, blood red and mustard yellow on dark blue, halftone print, dramatic low angles, 1950s paperback cover',
    negative: negative('photo, 3d render, anime, pastel, soft watercolour'),
    palette: ['#120c0a', '#f0e2c0', '#b3261e', '#2b3a55', '#e0a030'],
    model: { family: 'sdxl', checkpoint: SDXL_BASE, lora: lora('pulp-crime', 'sdxl'), workflow: 'sdxl-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'gothic-horror', family: 'noir', name: 'Gothic Horror',
    prompt: 'gothic horror graphic novel, dark desaturated palette with crimson accents, scratchy ink hatching, candlelight and moonlight, looming architecture, eerie atmosphere',
    negative: negative('bright, cheerful, cute, pastel, anime, photo'),
    palette: ['#0b0a0f', '#d9d4c7', '#3b2f4a', '#5e0f16', '#8c8fa3'],
    model: { family: 'flux', checkpoint: FLUX_DEV, lora: lora('gothic-horror', 'flux'), workflow: 'flux-dev-lora', hosted: HOSTED_DEV },
  },
  {
    id: 'sepia-graphic-novel', family: 'noir', name: 'Sepia Graphic Novel',
    prompt: 'sepia-toned graphic novel art, monochrome brown ink and wash, aged paper, careful cross-hatching, historical drama mood, soft vignette',
    negative: negative('bright colours, neon, anime, photo, 3d render'),
    palette: ['#2b1d0e', '#f3e3c3', '#a0703c', '#6b4a26', '#d4b07a'],
    model: { family: 'flux', checkpoint: FLUX_DEV, lora: null, workflow: 'flux-dev', hosted: HOSTED_DEV },
  },
]

export const STYLES: readonly Style[] = Object.freeze(CATALOG.map((s) => Object.freeze(Style.parse(s))))

const BY_ID = new Map<string, Style>(STYLES.map((s) => [s.id, s]))

export function getStyle(id: StyleId | string): Style {
  const style = BY_ID.get(id)
  if (!style) throw new KitsumyError('bad_input', `Unknown style "${id}".`)
  return style
}

export function stylesByFamily(): Record<StyleFamily, Style[]> {
  const out = Object.fromEntries(STYLE_FAMILIES.map((f) => [f, [] as Style[]])) as Record<StyleFamily, Style[]>
  for (const s of STYLES) out[s.family].push(s)
  return out
}
