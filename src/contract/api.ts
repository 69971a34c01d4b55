import { z } from 'zod'
import { Comic, ComicSummary, Id, Job, Language, LIMITS, ReadingOrder, Style, StyleId } from './domain.ts'
import { Bubble, Character, CharacterLook, ExportFormat, ImageId, Page, Panel, Shot, Trim } from './domain.ts'
import { EngineId } from './image.ts'

const Empty = z.object({}).strict()

export const CreateComicInput = z.object({
  idea: z.string().trim().min(3).max(4000),
  styleId: StyleId,
  pages: z.number().int().min(1).max(LIMITS.pages),
  readingOrder: ReadingOrder.default('ltr'),
  language: Language.optional(),
  urgent: z.boolean().default(false),
  seed: z.number().int().nonnegative().max(2 ** 31).optional(),
  // auto: the LLM when an OpenAI key is set, else the offline writer.
  storyEngine: z.enum(['auto', 'offline', 'openai']).default('auto'),
}).strict()
export type CreateComicInput = z.input<typeof CreateComicInput>

export const ListComicsInput = z.object({
  query: z.string().max(200).default(''),
  sort: z.enum(['updated', 'created', 'title']).default('updated'),
  trashed: z.boolean().default(false),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
}).strict()

const ComicRef = z.object({ comicId: Id }).strict()

// Servers the engine will call: web addresses only, never file: or other schemes.
const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// address' }).max(500)

const PanelRef = z.object({ comicId: Id, panelId: Id }).strict()
// A panel as the editor adds it: its own id (so undo and redo name the same panel), what it shows, and a picture
// only when it is one of that panel's versions.
export const NewPanel = Panel.pick({ id: true, shot: true, scene: true, characterIds: true, seed: true, image: true })
  .extend({ bubbles: z.array(Bubble).max(40) }).strict()
export type NewPanel = z.infer<typeof NewPanel>
const Usd = z.number().nonnegative()
// What a price is per, and where it comes from: a live catalog, the dated built-in list, the provider's own charge, or free.
export const PriceUnit = z.enum(['hour', 'second', 'image', 'megapixel', 'million_tokens'])
export type PriceUnit = z.infer<typeof PriceUnit>
export const PriceSource = z.enum(['catalog', 'builtin', 'provider', 'local'])
export type PriceSource = z.infer<typeof PriceSource>

// A pod running on the user's RunPod account for this studio, billing since `since` (ms).
export const PodInfo = z.object({
  podId: z.string(),
  gpu: z.string(),
  state: z.enum(['booting', 'busy', 'idle', 'ending']),
  since: z.number(),
  usdPerHour: Usd,
  billedUsd: Usd,
  // When an idle pod shuts itself down (ms), null while it boots or draws.
  idleEndsAt: z.number().nullable(),
})
export type PodInfo = z.infer<typeof PodInfo>
export const KeyName = z.enum(['openai', 'runpod', 'replicate'])
// What the renderer may know of a key: never the key itself.
export const KeyStatus = z.object({ name: KeyName, set: z.boolean(), last4: z.string().max(4).nullable(), storage: z.enum(['encrypted', 'environment', 'memory', 'unavailable']) })
// No defaults here: a patch must carry only what the user changed. The studio's settings service fills in a
// preference stored before it existed.
const StudioPrefs = z.object({
  language: Language,
  preferredEngine: z.union([z.literal('auto'), EngineId]),
  pods: z.object({
    enabled: z.boolean(),
    capacityClass: z.enum(['on-demand', 'interruptible']),
    idleMinutes: z.number().positive().max(240),
    maxPods: z.number().int().min(0).max(16),
    // Of every hundred urgent comics, how many may finish late on the pods rather than pay serverless for a burst.
    urgentLatePercent: z.number().min(0).max(5),
  }),
  budgets: z.object({ dayUsd: z.number().positive().nullable(), monthUsd: z.number().positive().nullable(), comicUsd: z.number().positive().nullable() }),
  // Where cloud images go besides the built-in choices; keys live in secrets, never here.
  providers: z.object({
    serverlessEndpointId: z.string().regex(/^[\w-]{1,64}$/).nullable(),
    localComfyUrl: HttpUrl.nullable(),
    gpuTypes: z.array(z.string().min(1).max(60)).min(1).max(8),
    bidPerGpu: z.number().positive().max(20).nullable(),
  }),
  openaiBaseUrl: HttpUrl.nullable(),
  openaiModel: z.string().trim().min(1).max(100),
})
export const SettingsView = StudioPrefs.extend({ dataDir: z.string(), keyringAvailable: z.boolean(), keys: z.array(KeyStatus) })
export type SettingsView = z.infer<typeof SettingsView>
export const SettingsPatch = StudioPrefs.extend({ pods: StudioPrefs.shape.pods.partial(), budgets: StudioPrefs.shape.budgets.partial(), providers: StudioPrefs.shape.providers.partial() }).partial().strict()

// The one map both transports serve: a command's name, what it takes, what it gives.
export const api = {
  'app.info': {
    input: Empty,
    output: z.object({ version: z.string(), dataDir: z.string(), language: Language, transport: z.enum(['ipc', 'http']) }),
  },
  'styles.list': { input: Empty, output: z.array(Style) },
  'comics.list': { input: ListComicsInput, output: z.object({ items: z.array(ComicSummary), total: z.number().int() }) },
  'comics.get': { input: ComicRef, output: Comic },
  'comics.create': { input: CreateComicInput, output: z.object({ comicId: Id, jobId: Id }) },
  'comics.cancel': { input: ComicRef, output: z.object({ cancelled: z.number().int() }) },
  // Draws every panel a finished comic is missing (failed, or cancelled before drawn); `offline`: with the free offline artist.
  'comics.retryFailed': { input: ComicRef.extend({ offline: z.boolean().default(false) }).strict(), output: z.object({ panels: z.number().int() }) },
  'comics.trash': { input: ComicRef, output: z.object({ comicId: Id }) },
  'comics.restore': { input: ComicRef, output: z.object({ comicId: Id }) },
  'jobs.status': { input: z.object({ jobId: Id }).strict(), output: Job },
  'comics.duplicate': { input: ComicRef, output: z.object({ comicId: Id }) },
  'comics.estimate': {
    // `images`: a known count (redrawing a comic's panels); otherwise five a page, as scripts come out on average.
    input: z.object({ styleId: StyleId, pages: z.number().int().min(1).max(LIMITS.pages), images: z.number().int().min(1).max(LIMITS.pages * LIMITS.panelsPerPage).optional(), urgent: z.boolean().default(false) }).strict(),
    output: z.object({
      images: z.number().int(),
      // The service level's deadline the routes are held against: 5 min urgent, 30 min otherwise.
      deadlineSeconds: z.number().positive(),
      // What a new comic may still spend under the per-comic, daily and monthly budgets; null without any.
      budgetLeftUsd: Usd.nullable(),
      routes: z.array(z.object({
        engine: EngineId, usd: Usd, seconds: z.number().nonnegative(), meetsDeadline: z.boolean(), recommended: z.boolean(),
        // How the figure was reached, and each price it rests on with its source and date.
        basis: z.string(),
        prices: z.array(z.object({ label: z.string(), usd: z.number(), per: PriceUnit, source: PriceSource, asOf: z.string() })),
      })),
    }),
  },
  // A new title, or a new style: the pictures keep the old style until they are redrawn.
  'comics.update': {
    input: ComicRef.extend({
      patch: z.object({ title: z.string().trim().min(1).max(120), styleId: StyleId }).partial().strict()
        .refine((p) => Object.keys(p).length > 0, 'name a title or a style to change'),
    }).strict(),
    output: z.object({ comicId: Id, title: z.string(), styleId: StyleId }),
  },
  'comics.reorderPages': { input: z.object({ comicId: Id, pageIds: z.array(Id).min(1).max(LIMITS.pages) }).strict(), output: z.object({ comicId: Id }) },
  'panels.update': {
    input: PanelRef.extend({ patch: z.object({ scene: z.string().max(2000), shot: Shot, characterIds: z.array(Id).max(12), bubbles: z.array(Bubble).max(40) }).partial().strict() }).strict(),
    output: Panel,
  },
  'panels.regenerate': { input: PanelRef.extend({ seed: z.number().int().nonnegative().max(2 ** 31).optional() }).strict(), output: z.object({ jobId: Id }) },
  'panels.versions': { input: PanelRef, output: z.array(z.object({ image: ImageId, seed: z.number().int().nonnegative(), createdAt: z.number(), current: z.boolean() })) },
  'panels.pickVersion': { input: PanelRef.extend({ image: ImageId }).strict(), output: Panel },
  'pages.update': {
    input: z.object({ comicId: Id, pageId: Id, patch: z.object({ layout: z.string().max(40), panelIds: z.array(Id).min(1).max(LIMITS.panelsPerPage) }).partial().strict() }).strict(),
    output: Page,
  },
  'pages.add': {
    input: z.object({ comicId: Id, index: z.number().int().min(0).max(LIMITS.pages - 1), page: z.object({ id: Id, layout: z.string().max(40).optional(), panels: z.array(NewPanel).min(1).max(LIMITS.panelsPerPage) }).strict() }).strict(),
    output: z.object({ page: Page, jobIds: z.array(Id) }),
  },
  // A panel added to a page at `index` (the page's layout becomes `layout`, or a fitting one). A panel with no picture
  // gets its latest earlier version back (undoing a delete), or is drawn now: `jobId` then names the drawing.
  'panels.add': {
    input: z.object({ comicId: Id, pageId: Id, index: z.number().int().min(0).max(LIMITS.panelsPerPage - 1), layout: z.string().max(40).optional(), panel: NewPanel }).strict(),
    output: z.object({ panel: Panel, jobId: Id.nullable() }),
  },
  // The panel leaves its page; its pictures stay among its versions, so adding it back restores it.
  'panels.delete': { input: PanelRef.extend({ layout: z.string().max(40).optional() }).strict(), output: Page },
  'pages.delete': { input: z.object({ comicId: Id, pageId: Id }).strict(), output: z.object({ comicId: Id }) },
  'layouts.list': {
    input: Empty,
    output: z.array(z.object({ id: z.string().max(40), name: z.string(), panelCount: z.number().int(), cells: z.array(z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })) })),
  },
  'characters.update': {
    input: z.object({ comicId: Id, characterId: Id, patch: z.object({ name: z.string().min(1).max(80), role: z.string().max(200), look: CharacterLook, referenceImage: ImageId.nullable() }).partial().strict() }).strict(),
    output: Character,
  },
  // A character joins the cast at `index` under its own id (so undoing a delete brings the same one back).
  'characters.add': {
    input: z.object({ comicId: Id, index: z.number().int().min(0).max(LIMITS.characters - 1), character: Character }).strict(),
    output: Character,
  },
  // Only a character in no panel and speaking no line can leave the cast.
  'characters.delete': { input: z.object({ comicId: Id, characterId: Id }).strict(), output: z.object({ comicId: Id }) },
  'images.upload': { input: z.object({ mime: z.enum(['image/png', 'image/jpeg', 'image/webp']), base64: z.string().min(4).max(1_500_000) }).strict(), output: z.object({ image: ImageId }) },
  // What one comic has cost so far, and how many of its images were paid for (cache hits count, at $0).
  'costs.comic': { input: ComicRef, output: z.object({ usd: Usd, images: z.number().int() }) },
  'costs.summary': {
    input: Empty,
    output: z.object({
      totalUsd: Usd, todayUsd: Usd, monthUsd: Usd,
      byComic: z.array(z.object({ comicId: Id, title: z.string(), usd: Usd, images: z.number().int() })),
      byProvider: z.array(z.object({ engine: EngineId, usd: Usd, images: z.number().int() })),
      byDay: z.array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), usd: Usd })),
      byMonth: z.array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), usd: Usd })),
      budgets: z.object({ dayUsd: z.number().positive().nullable(), monthUsd: z.number().positive().nullable(), comicUsd: z.number().positive().nullable() }),
    }),
  },
  'pods.list': { input: Empty, output: z.array(PodInfo) },
  // Shuts every pod down now; their images move to the per-image engines. Answers how many were running, and for
  // how long no pod is rented again.
  'pods.stop': { input: Empty, output: z.object({ stopped: z.number().int(), pausedMinutes: z.number().nonnegative() }) },
  'pages.svg': { input: z.object({ comicId: Id, pageIndex: z.number().int().min(0).max(LIMITS.pages - 1) }).strict(), output: z.object({ svg: z.string() }) },
  'comics.export': {
    input: z.object({ comicId: Id, format: ExportFormat, trim: Trim.default('us-comic'), dpi: z.number().int().min(72).max(600).optional() }).strict(),
    output: z.object({ files: z.array(z.string()), pages: z.number().int() }),
  },
  'settings.get': { input: Empty, output: SettingsView },
  'settings.update': { input: z.object({ patch: SettingsPatch }).strict(), output: SettingsView },
  'secrets.set': { input: z.object({ name: KeyName, value: z.string().trim().min(8).max(500), allowPlaintext: z.boolean().default(false) }).strict(), output: KeyStatus },
  'secrets.clear': { input: z.object({ name: KeyName }).strict(), output: KeyStatus },
} as const

export type Api = typeof api
export type CommandName = keyof Api
export type CommandInput<N extends CommandName> = z.input<Api[N]['input']>
export type CommandArgs<N extends CommandName> = z.output<Api[N]['input']>
export type CommandOutput<N extends CommandName> = z.output<Api[N]['output']>

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(api, name)
}
