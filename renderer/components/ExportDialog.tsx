import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ExportFormat, Trim } from '../../src/contract/index.ts'
import { useErrorToast } from '../hooks/useErrorToast.ts'
import { useExportDialog } from '../state/exportDialog.ts'
import { call, useSession } from '../state/session.ts'
import { Icon } from './Icon.tsx'
import { ProgressBar } from './ProgressBar.tsx'

type Format = (typeof ExportFormat.options)[number]
type TrimId = (typeof Trim.options)[number]

export function ExportDialog() {
  const { t } = useTranslation()
  const showError = useErrorToast()
  const comicId = useExportDialog((s) => s.comicId)
  const close = useExportDialog((s) => s.close)
  const progress = useSession((s) => (comicId ? s.live.comics[comicId]?.exporting ?? null : null))
  const ref = useRef<HTMLDialogElement>(null)
  const [format, setFormat] = useState<Format>('pdf')
  const [trim, setTrim] = useState<TrimId>('us-comic')
  const [busy, setBusy] = useState(false)
  const [files, setFiles] = useState<string[] | null>(null)

  useEffect(() => {
    const dialog = ref.current
    if (comicId && dialog && !dialog.open) dialog.showModal()
    if (!comicId && dialog?.open) dialog.close()
  }, [comicId])

  function dismiss() {
    setFiles(null)
    close()
  }

  async function run() {
    if (!comicId) return
    setBusy(true)
    setFiles(null)
    try {
      const result = await call('comics.export', { comicId, format, trim })
      setFiles(result.files)
    } catch (err) {
      showError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <dialog ref={ref} className="dialog export-dialog" aria-labelledby="export-title" onClose={dismiss} data-testid="export-dialog">
      <h2 id="export-title">{t('export.title')}</h2>
      <fieldset className="field">
        <legend className="field-label">{t('export.format')}</legend>
        <div className="choice-list">
          {ExportFormat.options.map((f) => (
            <label key={f} className={`choice${format === f ? ' is-selected' : ''}`}>
              <input type="radio" name="export-format" checked={format === f} onChange={() => setFormat(f)} data-testid={`export-${f}`} />
              <span className="choice-text">
                <span>{t(`export.formats.${f}`)}</span>
                <small>{t(`export.formatHints.${f}`)}</small>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field">
        <span className="field-label">{t('export.trim')}</span>
        <select value={trim} onChange={(e) => setTrim(e.target.value as TrimId)}>
          {Trim.options.map((id) => <option key={id} value={id}>{t(`export.trims.${id}`)}</option>)}
        </select>
      </label>
      {busy && progress && (
        <div className="field">
          <span className="field-hint">{t('export.progress', { done: progress.done, total: progress.total })}</span>
          <ProgressBar value={progress.done / Math.max(1, progress.total)} label={t('export.progress', { done: progress.done, total: progress.total })} />
        </div>
      )}
      {files && (
        <div className="export-result" role="status" data-testid="export-result">
          <p><Icon name="check" size={16} /><span>{t('export.done', { count: files.length })}</span></p>
          <ul>{files.slice(0, 6).map((f) => <li key={f}><code>{f}</code></li>)}</ul>
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={dismiss}>{t('common.close')}</button>
        <button type="button" className="button primary" onClick={() => void run()} disabled={busy} data-testid="export-go">
          <Icon name="folder" />
          <span>{busy ? t('common.saving') : t('export.go')}</span>
        </button>
      </div>
    </dialog>
  )
}
