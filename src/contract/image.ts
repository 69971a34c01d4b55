import { z } from 'zod'
import { CharacterLook, ImageId, ReadingOrder, Shot, StyleId } from './domain.ts'

export const ENGINE_IDS = ['offline', 'pod', 'serverless', 'runpod-flux', 'replicate', 'comfy-local'] as const
export const EngineId = z.enum(ENGINE_IDS)
export type EngineId = z.infer<typeof EngineId>

// Engine-neutral: every engine translates this; its hash is the image's cache key.
export const ImageRequest = z.object({
  prompt: z.string(),
  negative: z.string(),
  seed: z.number().int().nonnegative(),
  width: z.number().int().min(64).max(2048),
  height: z.number().int().min(64).max(2048),
  styleId: StyleId,
  references: z.array(ImageId),
  // Structured description the offline sketch artist draws from; cloud engines use the prompt.
  subject: z.object({
    shot: Shot,
    scene: z.string(),
    characters: z.array(z.object({ id: z.string(), name: z.string(), seed: z.number().int(), look: CharacterLook })),
    // Right to left (manga): the first character stands on the right, where reading starts. Absent for left to right.
    readingOrder: ReadingOrder.optional(),
  }),
})
export type ImageRequest = z.infer<typeof ImageRequest>
