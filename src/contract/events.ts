import { z } from 'zod'
import { ErrorCode } from './errors.ts'
import { Id, ImageId, PanelStatus, ComicStatus } from './domain.ts'
import { EngineId } from './image.ts'

// Events are data; each shell turns them into words through the i18n catalogs.
export const StoryStep = z.enum(['plot', 'characters', 'pages', 'dialogue'])
export type StoryStep = z.infer<typeof StoryStep>

export const StudioEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('story_step'), comicId: Id, step: StoryStep, status: z.enum(['started', 'done']) }),
  z.object({ type: z.literal('comic_updated'), comicId: Id, status: ComicStatus }),
  z.object({ type: z.literal('panel_updated'), comicId: Id, panelId: Id, status: PanelStatus, image: ImageId.nullable() }),
  // A panel handed to an engine that has no room for it yet (a pod booting or busy): it waits in that engine's line.
  z.object({ type: z.literal('panel_waiting'), comicId: Id, panelId: Id, engine: EngineId }),
  z.object({ type: z.literal('generation_progress'), comicId: Id, current: z.number().int(), total: z.number().int() }),
  z.object({ type: z.literal('generation_complete'), comicId: Id, status: ComicStatus, failed: z.number().int() }),
  z.object({ type: z.literal('queue_position'), jobId: Id, comicId: Id.nullable(), position: z.number().int() }),
  z.object({ type: z.literal('route_decision'), comicId: Id.nullable(), engine: EngineId, reason: z.string() }),
  z.object({ type: z.literal('pod_booting'), podId: z.string(), etaSeconds: z.number() }),
  z.object({ type: z.literal('pod_ready'), podId: z.string() }),
  z.object({ type: z.literal('pod_preemption_warning'), podId: z.string() }),
  z.object({ type: z.literal('pod_terminated'), podId: z.string(), reason: z.string() }),
  z.object({ type: z.literal('fallback_activated'), from: EngineId, to: EngineId, reason: z.string() }),
  z.object({ type: z.literal('cost_update'), comicId: Id.nullable(), totalUsd: z.number() }),
  z.object({ type: z.literal('export_progress'), comicId: Id, done: z.number().int(), total: z.number().int() }),
  z.object({ type: z.literal('menu'), command: z.enum(['new', 'export', 'undo', 'redo', 'settings', 'about']) }),
  z.object({ type: z.literal('error'), comicId: Id.nullable(), code: ErrorCode, message: z.string() }),
])
export type StudioEvent = z.infer<typeof StudioEvent>
export type StudioEventType = StudioEvent['type']
