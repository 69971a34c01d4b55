import type { TFunction } from 'i18next'
import type { ErrorCode, StudioEvent } from '../contract/index.ts'
import { parseStoredError } from '../contract/stored-error.ts'

// One wording for progress, used by the studio's live view and by the CLI alike.
// Returns null for events that carry no message of their own (panel-by-panel state).
export function describeEvent(t: TFunction, event: StudioEvent): string | null {
  switch (event.type) {
    case 'story_step':
      return event.status === 'started' ? t(`progress.stepStarted.${event.step}`) : t(`progress.stepDone.${event.step}`)
    case 'generation_progress':
      return t('progress.imageOf', { current: event.current, total: event.total })
    case 'generation_complete':
      if (event.status === 'done') return t('progress.done')
      if (event.status === 'partial') return t('progress.partial', { count: event.failed })
      if (event.status === 'cancelled') return t('progress.cancelled')
      return t('progress.failed')
    case 'queue_position':
      return t('progress.queuePosition', { position: event.position })
    case 'route_decision':
      return t('progress.routed', { engine: t(`engines.${event.engine}`) })
    case 'pod_booting':
      return t('progress.podBooting', { count: Math.max(1, Math.ceil(event.etaSeconds / 60)) })
    case 'pod_ready':
      return t('progress.podReady')
    case 'pod_preemption_warning':
      return t('progress.podPreemption')
    case 'pod_terminated':
      return t('progress.podTerminated')
    case 'fallback_activated':
      return t('progress.fallback', { from: t(`engines.${event.from}`), to: t(`engines.${event.to}`) })
    case 'export_progress':
      return t('export.progress', { done: event.done, total: event.total })
    case 'cost_update':
      return t('progress.cost', { cost: t('common.usd', { value: event.totalUsd }) })
    case 'error':
      return describeError(t, event.code, event.message)
    case 'comic_updated':
    case 'panel_updated':
    case 'panel_waiting':
    case 'menu':
      return null
  }
}

export function describeError(t: TFunction, code: ErrorCode | 'network', message: string): string {
  return t(`errors.${code}`, { message })
}

// An error kept as "code: message" (a panel that could not be drawn), worded in the reader's language.
export function describeStoredError(t: TFunction, stored: string): string {
  const { code, message } = parseStoredError(stored)
  return describeError(t, code, message)
}
