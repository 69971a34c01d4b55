import { z } from 'zod'

// Ids are opaque strings made by the engine; the limits keep hostile input out of SQL and paths.
export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id')

// How big a comic may grow, wherever it is made or edited.
export const LIMITS = { pages: 24, panelsPerPage: 6, characters: 16 } as const
export type Id = z.infer<typeof Id>

export const STYLE_FAMILIES = ['realistic', 'comic', 'manga', 'noir'] as const
export const StyleFamily = z.enum(STYLE_FAMILIES)
export type StyleFamily = z.infer<typeof StyleFamily>

export const STYLE_IDS = [
  'cinematic-photo', 'painted-realism', 'soft-watercolor', 'retro-film', 'concept-art',
  'modern-superhero', 'golden-age', 'ligne-claire', 'indie-ink', 'pop-art',
  'shonen', 'shojo', 'seinen', 'chibi', 'webtoon',
  'classic-noir', 'ink-wash', 'pulp-crime', 'gothic-horror', 'sepia-graphic-novel',
] as const
export const StyleId = z.enum(STYLE_IDS)
export type StyleId = z.infer<typeof StyleId>

export const Language = z.enum(['en', 'uk'])
export type Language = z.infer<typeof Language>

export const ReadingOrder = z.enum(['ltr', 'rtl'])
export type ReadingOrder = z.infer<typeof ReadingOrder>

// Export choices; page sizes for each trim live with the page renderer (src/pages/trim.ts).
export const Trim = z.enum(['us-comic', 'a4', 'letter'])
export type Trim = z.infer<typeof Trim>
export const ExportFormat = z.enum(['pdf', 'cbz', 'png'])
export type ExportFormat = z.infer<typeof ExportFormat>

export const SHOTS = ['extreme-close-up', 'close-up', 'medium', 'medium-wide', 'wide', 'establishing', 'over-the-shoulder', 'low-angle', 'high-angle'] as const
export const Shot = z.enum(SHOTS)
export type Shot = z.infer<typeof Shot>

export const BubbleKind = z.enum(['speech', 'thought', 'shout', 'caption', 'sfx'])
export type BubbleKind = z.infer<typeof BubbleKind>

// An image stored in the library, named by the sha256 of its bytes plus its extension.
export const ImageId = z.string().regex(/^[a-f0-9]{64}\.(svg|png|jpg|webp)$/, 'must be an image id')
export type ImageId = z.infer<typeof ImageId>

export const Style = z.object({
  id: StyleId,
  family: StyleFamily,
  name: z.string(),
  prompt: z.string(),
  negative: z.string(),
  palette: z.array(z.string().regex(/^#[0-9a-f]{6}$/i)).min(4),
  model: z.object({
    family: z.enum(['flux', 'sdxl', 'anime', 'sd15']),
    checkpoint: z.string(),
    lora: z.string().nullable(),
    workflow: z.string(),
    hosted: z.string(),
  }),
})
export type Style = z.infer<typeof Style>

export const CharacterLook = z.object({
  face: z.string().max(400),
  hair: z.string().max(400),
  build: z.string().max(400),
  outfit: z.string().max(400),
  colors: z.array(z.string().max(40)).max(6),
})
export type CharacterLook = z.infer<typeof CharacterLook>

export const Character = z.object({
  id: Id,
  name: z.string().min(1).max(80),
  role: z.string().max(200),
  look: CharacterLook,
  seed: z.number().int().nonnegative(),
  referenceImage: ImageId.nullable(),
})
export type Character = z.infer<typeof Character>

export const Bubble = z.object({
  id: Id,
  kind: BubbleKind,
  text: z.string().max(2000),
  speakerId: Id.nullable(),
  // Geometry is relative to the panel (0..1), so a bubble survives a change of layout.
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  w: z.number().min(0.02).max(1),
  h: z.number().min(0.02).max(1),
  tailX: z.number().min(-0.5).max(1.5),
  tailY: z.number().min(-0.5).max(1.5),
})
export type Bubble = z.infer<typeof Bubble>

export const PanelStatus = z.enum(['pending', 'generating', 'done', 'failed'])
export type PanelStatus = z.infer<typeof PanelStatus>

export const Panel = z.object({
  id: Id,
  shot: Shot,
  scene: z.string().max(2000),
  characterIds: z.array(Id).max(12),
  seed: z.number().int().nonnegative(),
  image: ImageId.nullable(),
  status: PanelStatus,
  // Why the last draw failed, as "code: message" (parseStoredError reads it), so it can be worded in any language.
  error: z.string().nullable(),
  bubbles: z.array(Bubble),
})
export type Panel = z.infer<typeof Panel>

export const Page = z.object({
  id: Id,
  layout: z.string().max(40),
  panels: z.array(Panel),
})
export type Page = z.infer<typeof Page>

export const ComicStatus = z.enum(['writing', 'generating', 'done', 'partial', 'failed', 'cancelled'])
export type ComicStatus = z.infer<typeof ComicStatus>

export const ComicSummary = z.object({
  id: Id,
  title: z.string(),
  idea: z.string(),
  styleId: StyleId,
  language: Language,
  readingOrder: ReadingOrder,
  status: ComicStatus,
  pageCount: z.number().int(),
  panelCount: z.number().int(),
  cover: ImageId.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  trashedAt: z.number().nullable(),
})
export type ComicSummary = z.infer<typeof ComicSummary>

export const Comic = ComicSummary.extend({
  summary: z.string(),
  seed: z.number().int().nonnegative(),
  characters: z.array(Character),
  pages: z.array(Page),
})
export type Comic = z.infer<typeof Comic>

export const JobState = z.enum(['queued', 'delayed', 'active', 'completed', 'failed', 'cancelled'])
export type JobState = z.infer<typeof JobState>

export const Job = z.object({
  id: Id,
  kind: z.string(),
  state: JobState,
  priority: z.number().int(),
  progress: z.number().min(0).max(1),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  stalls: z.number().int(),
  parentId: Id.nullable(),
  comicId: Id.nullable(),
  key: z.string().nullable(),
  position: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
})
export type Job = z.infer<typeof Job>
