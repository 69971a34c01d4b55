import { KitsumyError, LIMITS, Script, type StoryStep } from '../contract/index.ts'
import { hashSeed, seededRandom } from '../platform/random.ts'
import { buildCast, displayName } from './offline-cast.ts'
import { parseIdea } from './offline-idea.ts'
import { LinePools } from './offline-pools.ts'
import { frameStory, layoutPages, storySlots, writeLines, writeSummary, writeTitle } from './offline-story.ts'
import type { StoryBrief, StoryWriter, WriteOptions } from './writer.ts'

// Independent random streams per step, so the same seed gives the same cast and pages in either language.
const STREAM = { plot: 0x9e3779b9, cast: 0x85ebca6b, pages: 0xc2b2ae35, lines: 0x27d4eb2f } as const

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new KitsumyError('cancelled', 'Writing the story was cancelled.', { retryable: false })
}

// Lets an abort or other work in the event loop through between steps.
function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

// Writes a whole comic script from the idea alone, with no network and no keys: deterministic from idea and seed.
export class OfflineWriter implements StoryWriter {
  readonly id = 'offline' as const

  async write(brief: StoryBrief, options: WriteOptions): Promise<Script> {
    const { signal, onStep } = options
    const idea = brief.idea.trim()
    if (idea.length === 0) throw new KitsumyError('bad_input', 'The idea is empty.')
    if (!Number.isInteger(brief.pages) || brief.pages < 1 || brief.pages > LIMITS.pages) throw new KitsumyError('bad_input', `A comic has 1 to ${LIMITS.pages} pages.`)
    const base = (hashSeed(idea) ^ (brief.seed >>> 0)) >>> 0
    const stream = (k: keyof typeof STREAM) => seededRandom((base ^ STREAM[k]) >>> 0)
    const lang = brief.language

    const step = async <T>(name: StoryStep, work: () => T): Promise<T> => {
      checkAborted(signal)
      onStep?.(name, 'started')
      await yieldTurn()
      checkAborted(signal)
      const result = work()
      onStep?.(name, 'done')
      return result
    }

    const parsed = parseIdea(idea)
    const frame = await step('plot', () => frameStory(parsed, stream('plot')))
    const cast = await step('characters', () => buildCast(parsed, frame.genre, stream('cast')))
    const pages = await step('pages', () => layoutPages(frame, cast, brief.pages, lang, stream('pages')))
    const script = await step('dialogue', () => {
      const pools = new LinePools(lang, stream('lines'))
      const slots = storySlots(frame, cast, lang, pools)
      return Script.parse({
        title: writeTitle(frame, lang, pools, slots, stream('lines')),
        summary: writeSummary(frame, lang, pools, slots),
        characters: cast.map((c) => ({
          key: c.key,
          name: displayName(c, lang),
          role: c.roleText[lang],
          look: c.look,
        })),
        pages: pages.map((page) => ({
          layout: null,
          panels: page.panels.map((panel) => writeLines(panel, frame, cast, lang, pools, slots)),
        })),
      })
    })
    checkAborted(signal)
    return script
  }
}
