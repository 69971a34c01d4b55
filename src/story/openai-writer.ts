import OpenAI from 'openai'
import { z } from 'zod'
import { KitsumyError, Language, LIMITS, Script, StyleId, type StoryStep } from '../contract/index.ts'
import { systemClock, type Clock } from '../platform/clock.ts'
import { cancelledError } from './openai-errors.ts'
import {
  castMessages, dialogueMessages, pagesMessages, panelRef, plotMessages,
  type LetteredPanel, type OutlinedPage, type PageRange,
} from './openai-prompts.ts'
import { CastDraft, PlotDraft, dialogueDraft, pagesDraft, type DialogueDraft, type PanelOutline } from './openai-schemas.ts'
import { StepRunner, type StoryUsage } from './openai-step-runner.ts'
import type { StepCache } from './step-cache.ts'
import type { StoryBrief, StoryWriter, WriteOptions } from './writer.ts'

export type { StoryUsage } from './openai-step-runner.ts'

export const OPENAI_BASE_URL = 'https://api.openai.com/v1'

export const OpenAIWriterSettings = z.object({
  apiKey: z.string(),
  model: z.string().trim().min(1),
  // Any OpenAI-compatible server (a local LLM server, a proxy); null means OpenAI itself.
  baseURL: z.url({ protocol: /^https?$/ }).nullable().default(null),
  timeoutMs: z.number().int().positive().default(120_000),
  // Per request, counting the first try; transient failures only.
  maxAttempts: z.number().int().min(1).max(10).default(4),
  // How many times an unusable answer is sent back to the model to fix.
  reasks: z.number().int().min(0).max(5).default(2),
  backoffMs: z.number().int().min(0).default(1_000),
  // A server asking for a longer pause fails the step instead, so the queue can reschedule it.
  maxRetryWaitMs: z.number().int().min(0).default(60_000),
  pagesPerChunk: z.number().int().min(1).max(LIMITS.pages).default(4),
  // Null leaves them out of the request: reasoning models reject a temperature.
  temperature: z.number().min(0).max(2).nullable().default(null),
  maxTokens: z.number().int().positive().nullable().default(null),
})
export type OpenAIWriterSettings = z.input<typeof OpenAIWriterSettings>

export interface OpenAIWriterOptions extends OpenAIWriterSettings {
  clock?: Clock
  cache?: StepCache | null
  onUsage?: (usage: StoryUsage) => void
}

const Brief: z.ZodType<StoryBrief> = z.object({
  idea: z.string().trim().min(1),
  styleId: StyleId,
  pages: z.number().int().min(1).max(LIMITS.pages),
  language: Language,
  seed: z.number().int().nonnegative(),
})

// Writes a comic in four steps, each its own structured chat completion with the earlier steps as
// context: plot, character bible, page breakdown and lettering, the last two in chunks of pages so
// a long comic stays within one answer's length and later pages see what came before.
export class OpenAIStoryWriter implements StoryWriter {
  readonly id = 'openai' as const
  private readonly pagesPerChunk: number
  private readonly missingKey: boolean
  private readonly runner: StepRunner

  constructor(options: OpenAIWriterOptions) {
    const parsed = OpenAIWriterSettings.safeParse(options)
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ')
      throw new KitsumyError('bad_input', `The OpenAI story settings are not valid (${fields}).`)
    }
    this.pagesPerChunk = parsed.data.pagesPerChunk
    this.missingKey = !parsed.data.apiKey && !parsed.data.baseURL
    const baseURL = parsed.data.baseURL ?? OPENAI_BASE_URL
    // A local server may need no key, but the SDK insists on one; OpenAI itself is never called
    // without a key (write() refuses first). Organization and project are pinned so the SDK does
    // not pick them up from the environment.
    const client = new OpenAI({
      apiKey: parsed.data.apiKey || 'no-key',
      baseURL,
      organization: null,
      project: null,
      maxRetries: 0,
    })
    this.runner = new StepRunner({
      client,
      model: parsed.data.model,
      host: new URL(baseURL).host,
      apiKey: parsed.data.apiKey,
      clock: options.clock ?? systemClock,
      timeoutMs: parsed.data.timeoutMs,
      maxAttempts: parsed.data.maxAttempts,
      reasks: parsed.data.reasks,
      backoffMs: parsed.data.backoffMs,
      maxRetryWaitMs: parsed.data.maxRetryWaitMs,
      temperature: parsed.data.temperature,
      maxTokens: parsed.data.maxTokens,
      cache: options.cache ?? null,
      onUsage: options.onUsage ?? null,
    })
  }

  async write(brief: StoryBrief, options: WriteOptions): Promise<Script> {
    const checked = Brief.safeParse(brief)
    if (!checked.success) {
      throw new KitsumyError('bad_input', `The story brief is not valid (${checked.error.issues.map((i) => i.path.join('.')).join(', ')}).`)
    }
    if (this.missingKey) {
      throw new KitsumyError('auth', 'No OpenAI key is set: add your OpenAI key in Settings.', { retryable: false })
    }
    const { signal } = options
    if (signal.aborted) throw cancelledError()
    const step = async <T>(name: StoryStep, work: () => Promise<T>): Promise<T> => {
      options.onStep?.(name, 'started')
      const result = await work()
      options.onStep?.(name, 'done')
      return result
    }

    const plot = await step('plot', () => this.runner.run(
      { step: 'plot', name: 'kitsumy_plot', schema: PlotDraft, messages: plotMessages(brief) }, brief.seed, signal))
    const cast = await step('characters', () => this.runner.run(
      { step: 'characters', name: 'kitsumy_characters', schema: CastDraft, messages: castMessages(brief, plot), check: uniqueKeys },
      brief.seed, signal))
    const keys = cast.characters.map((c) => c.key)
    const ranges = pageRanges(brief.pages, this.pagesPerChunk)

    const outline = await step('pages', async () => {
      const pages: OutlinedPage[] = []
      for (const range of ranges) {
        const draft = await this.runner.run({
          step: 'pages',
          name: 'kitsumy_pages',
          schema: pagesDraft(keys, range.to - range.from + 1),
          messages: pagesMessages(brief, plot, cast, pages, range),
        }, brief.seed, signal)
        draft.pages.forEach((page, i) => pages.push({ page: range.from + i, panels: page.panels }))
      }
      return pages
    })

    const lettering = await step('dialogue', async () => {
      const done: LetteredPanel[] = []
      for (const range of ranges) {
        const panels = outline
          .filter((p) => p.page >= range.from && p.page <= range.to)
          .flatMap((p) => p.panels.map((panel, i) => ({ ref: panelRef(p.page, i + 1), outline: panel })))
        const refs = panels.map((p) => p.ref)
        const draft = await this.runner.run({
          step: 'dialogue',
          name: 'kitsumy_dialogue',
          schema: dialogueDraft(keys, refs),
          messages: dialogueMessages(brief, plot, cast, done, panels, range),
          check: (value) => everyPanelOnce(value, refs),
        }, brief.seed, signal)
        const byRef = new Map(draft.panels.map((p) => [p.panel, p.lines]))
        for (const ref of refs) done.push({ ref, lines: byRef.get(ref) ?? [] })
      }
      return new Map(done.map((p) => [p.ref, p.lines]))
    })

    const script = Script.safeParse({
      title: plot.title,
      summary: plot.summary,
      characters: cast.characters,
      pages: outline.map((page) => ({
        layout: null,
        panels: page.panels.map((panel: PanelOutline, i: number) => ({
          shot: panel.shot,
          scene: panel.scene,
          characters: [...new Set(panel.characters)],
          lines: lettering.get(panelRef(page.page, i + 1)) ?? [],
        })),
      })),
    })
    if (!script.success) {
      throw new KitsumyError('bad_response', `The story model's answers do not add up to a script: ${script.error.issues[0]?.message ?? 'invalid'}.`)
    }
    return script.data
  }
}

function pageRanges(pages: number, perChunk: number): PageRange[] {
  const ranges: PageRange[] = []
  for (let from = 1; from <= pages; from += perChunk) ranges.push({ from, to: Math.min(pages, from + perChunk - 1) })
  return ranges
}

function uniqueKeys(cast: CastDraft): string | null {
  const seen = new Set<string>()
  for (const { key } of cast.characters) {
    if (seen.has(key)) return `character key "${key}" is used twice; every character needs its own key`
    seen.add(key)
  }
  return null
}

function everyPanelOnce(draft: DialogueDraft, refs: readonly string[]): string | null {
  const given = draft.panels.map((p) => p.panel)
  const missing = refs.filter((ref) => !given.includes(ref))
  if (missing.length === 0) return null
  return `every panel needs exactly one entry; missing: ${missing.join(', ')}`
}
