import { z } from 'zod'
import { Comic, ComicSummary, Id, Job, Language, ReadingOrder, Style, StyleId } from './domain.ts'

const Empty = z.object({}).strict()

export const CreateComicInput = z.object({
  idea: z.string().trim().min(3).max(4000),
  styleId: StyleId,
  pages: z.number().int().min(1).max(24),
  readingOrder: ReadingOrder.default('ltr'),
  language: Language.optional(),
  urgent: z.boolean().default(false),
  seed: z.number().int().nonnegative().max(2 ** 31).optional(),
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
  'comics.trash': { input: ComicRef, output: z.object({ comicId: Id }) },
  'comics.restore': { input: ComicRef, output: z.object({ comicId: Id }) },
  'jobs.status': { input: z.object({ jobId: Id }).strict(), output: Job },
} as const

export type Api = typeof api
export type CommandName = keyof Api
export type CommandInput<N extends CommandName> = z.input<Api[N]['input']>
export type CommandArgs<N extends CommandName> = z.output<Api[N]['input']>
export type CommandOutput<N extends CommandName> = z.output<Api[N]['output']>

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(api, name)
}
