import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS, type CommandOutput, type StyleId } from '../../src/contract/index.ts'
import { call } from '../state/session.ts'

// What redrawing `count` panels of a comic would cost and take on the route the studio would take (a redraw is
// urgent), worded for a hint under the button; null until known.
export function useRedrawEstimate(styleId: StyleId, pages: number, count: number): string | null {
  const { t } = useTranslation()
  const [estimate, setEstimate] = useState<CommandOutput<'comics.estimate'> | null>(null)
  useEffect(() => {
    let live = true
    if (count === 0 || pages === 0) return
    call('comics.estimate', { styleId, pages: Math.min(LIMITS.pages, pages), images: Math.min(LIMITS.pages * LIMITS.panelsPerPage, count), urgent: true })
      .then((e) => { if (live) setEstimate(e) }, () => { if (live) setEstimate(null) })
    return () => { live = false }
  }, [styleId, pages, count])
  const route = estimate?.images === count ? estimate.routes.find((r) => r.recommended) : undefined
  if (!route) return null
  const time = route.seconds < 90
    ? t('newComic.durationSeconds', { count: Math.max(1, Math.round(route.seconds)) })
    : t('newComic.durationMinutes', { count: Math.round(route.seconds / 60) })
  const cost = route.usd === 0 ? t('newComic.free') : t('common.usd', { value: route.usd })
  return t('editor.redrawEstimate', { engine: t(`engines.${route.engine}`), figure: t('newComic.estimateFigure', { cost, time }) })
}
