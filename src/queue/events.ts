import type { Job, StudioEvent } from '../contract/index.ts'

export type QueuePositionEvent = Extract<StudioEvent, { type: 'queue_position' }>
export type GenerationProgressEvent = Extract<StudioEvent, { type: 'generation_progress' }>

// A parent job finished because its last child did (or it ended with every child already done).
export interface ChildrenDoneEvent {
  type: 'children_done'
  parentId: string
  comicId: string | null
  total: number
  completed: number
  failed: number
  cancelled: number
}

// What the queue tells the studio. queue_position is sent for a comic's own job (top-level, with a
// comicId) while it waits for its turn; panels report through their parent's generation_progress.
export type QueueEvent =
  | { type: 'job_updated'; job: Job }
  | QueuePositionEvent
  | GenerationProgressEvent
  | ChildrenDoneEvent
  | { type: 'paused' }
  | { type: 'resumed' }

// What the queue tells its workers, in the same process: new work to look at, or jobs to abort.
export type QueueSignal = { type: 'wake' } | { type: 'cancelled'; ids: string[] }
