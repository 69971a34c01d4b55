import type { TFunction } from 'i18next'
import type { ComicSummary, Style } from '../../src/contract/index.ts'
import { fileUrl } from '../state/session.ts'
import { Icon } from './Icon.tsx'
import { paletteGradient } from './palette.ts'

export interface CardActions {
  open(comic: ComicSummary): void
  edit(comic: ComicSummary): void
  duplicate(comic: ComicSummary): void
  trash(comic: ComicSummary): void
  restore(comic: ComicSummary): void
}

const BUSY = new Set(['writing', 'generating'])

// The shelf hands its own `t` down: a screenful of cards need not each subscribe to the language.
export function ComicCard({ comic, style, actions, t }: { comic: ComicSummary; style: Style | undefined; actions: CardActions; t: TFunction }) {
  const title = comic.title || t('library.untitled')
  const busy = BUSY.has(comic.status)
  const status = t(`status.${comic.status}`)
  const labels = { edit: t('common.edit'), duplicate: t('common.duplicate'), trash: t('library.moveToTrash') }
  return (
    <article className="comic-card" data-testid="comic-card" data-comic-id={comic.id} data-status={comic.status}>
      <button type="button" className="card-cover" onClick={() => actions.open(comic)} aria-describedby={`meta-${comic.id}`} style={{ background: paletteGradient(style) }}>
        {comic.cover ? (
          <img src={fileUrl(comic.cover)} alt="" loading="lazy" decoding="async" draggable={false} />
        ) : (
          <span className="card-cover-empty">
            <Icon name={busy ? 'sparkle' : 'image'} size={28} />
            <span>{busy ? status : t('library.noCover')}</span>
          </span>
        )}
        <span className={`status-chip status-${comic.status}`}>{status}</span>
        <span className="sr-only">{title}</span>
      </button>
      <div className="card-body">
        <h3 className="card-title" title={title}>{title}</h3>
        <p className="card-meta" id={`meta-${comic.id}`}>
          <span>{t('library.pages', { count: comic.pageCount })}</span>
          <span aria-hidden="true"> · </span>
          <span>{t(`styleNames.${comic.styleId}`)}</span>
        </p>
        <div className="card-actions" role="group" aria-label={t('library.actions', { title })}>
          {comic.trashedAt === null ? (
            <>
              <button type="button" className="icon-button" title={labels.edit} aria-label={labels.edit} onClick={() => actions.edit(comic)} data-testid="card-edit">
                <Icon name="pencil" />
              </button>
              <button type="button" className="icon-button" title={labels.duplicate} aria-label={labels.duplicate} onClick={() => actions.duplicate(comic)} data-testid="card-duplicate">
                <Icon name="copy" />
              </button>
              <button type="button" className="icon-button danger" title={labels.trash} aria-label={labels.trash} onClick={() => actions.trash(comic)} data-testid="card-trash">
                <Icon name="trash" />
              </button>
            </>
          ) : (
            <button type="button" className="button small" onClick={() => actions.restore(comic)} data-testid="card-restore">
              <Icon name="restore" />
              <span>{t('common.restore')}</span>
            </button>
          )}
        </div>
      </div>
    </article>
  )
}

export function ComicCardSkeleton() {
  return <div className="comic-card is-skeleton" aria-hidden="true"><div className="card-cover" /><div className="card-body"><span /><span /></div></div>
}
