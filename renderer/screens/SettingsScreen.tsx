import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ENGINE_IDS, type CommandInput, type SettingsView } from '../../src/contract/index.ts'
import { LANGUAGES, isLang } from '../../src/i18n/index.ts'
import { Icon } from '../components/Icon.tsx'
import { useErrorToast } from '../hooks/useErrorToast.ts'
import { setLang } from '../i18n.ts'
import { call, toast, useSession } from '../state/session.ts'

type KeyName = SettingsView['keys'][number]['name']
type Patch = CommandInput<'settings.update'>['patch']

function KeyRow({ status, keyring, onChange }: { status: SettingsView['keys'][number]; keyring: boolean; onChange(next: SettingsView['keys'][number]): void }) {
  const { t } = useTranslation()
  const showError = useErrorToast()
  const [value, setValue] = useState('')
  const [busy, setBusy] = useState(false)
  const confirmRef = useRef<HTMLDialogElement>(null)
  const name: KeyName = status.name
  const provider = t(`settings.providers.${name}`)

  async function store(allowPlaintext: boolean) {
    setBusy(true)
    try {
      onChange(await call('secrets.set', { name, value: value.trim(), allowPlaintext }))
      setValue('')
    } catch (err) {
      showError(err)
    } finally {
      setBusy(false)
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    if (value.trim().length < 8) return
    if (keyring) void store(false)
    else confirmRef.current?.showModal()
  }

  async function clear() {
    setBusy(true)
    try {
      onChange(await call('secrets.clear', { name }))
    } catch (err) {
      showError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="key-row" onSubmit={submit} data-testid={`key-${name}`}>
      <div className="key-info">
        <span className="key-name">{provider}</span>
        <span className={`key-status${status.set ? ' is-set' : ''}`} data-testid={`key-status-${name}`} data-set={status.set}>
          <Icon name={status.set ? 'check' : 'key'} size={14} />
          {status.set ? t('settings.keySet', { last4: status.last4 ?? '' }) : t('settings.keyNotSet')}
        </span>
      </div>
      <label className="sr-only" htmlFor={`key-input-${name}`}>{t('settings.keyValue', { provider })}</label>
      <input id={`key-input-${name}`} type="password" autoComplete="off" spellCheck={false} value={value} placeholder={t('settings.keyValue', { provider })}
        onChange={(e) => setValue(e.target.value)} data-testid={`key-input-${name}`} />
      <button type="submit" className="button small" disabled={busy || value.trim().length < 8} data-testid={`key-save-${name}`}>{t('settings.setKey')}</button>
      {status.set && (
        <button type="button" className="button small danger" disabled={busy} onClick={() => void clear()} data-testid={`key-clear-${name}`}>{t('settings.clearKey')}</button>
      )}
      <dialog ref={confirmRef} className="dialog" aria-labelledby={`plain-${name}`}>
        <h2 id={`plain-${name}`}>{t('settings.keys')}</h2>
        <p className="dialog-text">{t('settings.keyringMissing')}</p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => confirmRef.current?.close()} autoFocus>{t('common.cancel')}</button>
          <button type="button" className="button danger" data-testid={`key-plaintext-${name}`} onClick={() => { confirmRef.current?.close(); void store(true) }}>{t('settings.storeAnyway')}</button>
        </div>
      </dialog>
    </form>
  )
}

function NumberField({ label, value, min, max, step, onCommit, testId, nullable = false }: {
  label: string; value: number | null; min: number; max?: number; step: number; onCommit(v: number | null): void; testId: string; nullable?: boolean
}) {
  const [draft, setDraft] = useState(value === null ? '' : String(value))
  function commit() {
    if (draft.trim() === '' && nullable) return value === null ? undefined : onCommit(null)
    const n = Number(draft)
    if (!Number.isFinite(n) || n < min || (max !== undefined && n > max)) return setDraft(value === null ? '' : String(value))
    if (n !== value) onCommit(n)
  }
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input type="number" min={min} max={max} step={step} value={draft} data-testid={testId}
        onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') commit() }} />
    </label>
  )
}

// A text setting saved when the field is left; empty means "not set" when the setting allows it.
function TextField({ label, value, placeholder, type = 'text', onCommit, testId }: {
  label: string; value: string; placeholder?: string; type?: 'text' | 'url'; onCommit(v: string): void; testId: string
}) {
  const [draft, setDraft] = useState(value)
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input type={type} value={draft} placeholder={placeholder} spellCheck={false} data-testid={testId}
        onChange={(e) => setDraft(e.target.value)} onBlur={() => { if (draft.trim() !== value) onCommit(draft.trim()) }}
        onKeyDown={(e) => { if (e.key === 'Enter') e.currentTarget.blur() }} />
    </label>
  )
}

export function SettingsScreen() {
  const { t, i18n } = useTranslation()
  const showError = useErrorToast()
  const info = useSession((s) => s.info)
  const [view, setView] = useState<SettingsView | null>(null)

  useEffect(() => {
    call('settings.get', {}).then(setView, showError)
  }, [showError])

  async function update(patch: Patch) {
    try {
      const next = await call('settings.update', { patch })
      setView(next)
      toast(t('settings.saved'))
    } catch (err) {
      showError(err)
    }
  }

  if (!view) return <section className="screen" data-testid="settings" aria-busy="true" />

  return (
    <section className="screen settings-screen" data-testid="settings" aria-labelledby="settings-title">
      <header className="screen-header">
        <div className="screen-title-block">
          <h1 id="settings-title">{t('settings.title')}</h1>
          {info && <p className="screen-subtitle">{t('settings.version', { version: info.version })}</p>}
        </div>
      </header>
      <div className="settings-layout">
        <section className="panel-card" aria-labelledby="keys-title">
          <h2 id="keys-title" className="card-heading">{t('settings.keys')}</h2>
          <p className="field-hint">{t('settings.keysHint')}</p>
          {!view.keyringAvailable && <p className="inline-warning" role="note"><Icon name="alert" size={14} /><span>{t('settings.keyringMissing')}</span></p>}
          <div className="key-list">
            {view.keys.map((k) => (
              <KeyRow key={k.name} status={k} keyring={view.keyringAvailable}
                onChange={(next) => setView((v) => v && { ...v, keys: v.keys.map((x) => (x.name === next.name ? next : x)) })} />
            ))}
          </div>
        </section>

        <section className="panel-card" aria-labelledby="routing-title">
          <h2 id="routing-title" className="card-heading">{t('settings.routing')}</h2>
          <div className="settings-grid">
            <label className="field">
              <span className="field-label">{t('settings.preferredEngine')}</span>
              <select value={view.preferredEngine} data-testid="preferred-engine" onChange={(e) => void update({ preferredEngine: e.target.value as Patch['preferredEngine'] })}>
                <option value="auto">{t('settings.auto')}</option>
                {ENGINE_IDS.map((id) => <option key={id} value={id}>{t(`engines.${id}`)}</option>)}
              </select>
            </label>
            <label className="field">
              <span className="field-label">{t('app.language')}</span>
              <select value={view.language} data-testid="settings-language" onChange={(e) => { if (isLang(e.target.value)) { setLang(e.target.value); void update({ language: e.target.value }) } }}>
                {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{t(`app.languages.${l}`)}</option>)}
              </select>
            </label>
            <label className="toggle">
              <input type="checkbox" checked={view.pods.enabled} data-testid="pods-enabled" onChange={(e) => void update({ pods: { enabled: e.target.checked } })} />
              <span>{t('settings.allowPods')}</span>
            </label>
            <label className="toggle">
              <input type="checkbox" checked={view.pods.capacityClass === 'interruptible'} disabled={!view.pods.enabled}
                onChange={(e) => void update({ pods: { capacityClass: e.target.checked ? 'interruptible' : 'on-demand' } })} />
              <span>{t('settings.allowInterruptible')}</span>
            </label>
            <NumberField key={`idle-${view.pods.idleMinutes}`} label={t('settings.idleMinutes')} value={view.pods.idleMinutes} min={1} max={240} step={1} testId="idle-minutes"
              onCommit={(v) => { if (v !== null) void update({ pods: { idleMinutes: v } }) }} />
            <NumberField key={`late-${view.pods.urgentLatePercent}`} label={t('settings.urgentLatePercent')} value={view.pods.urgentLatePercent} min={0} max={5} step={1} testId="urgent-late-percent"
              onCommit={(v) => { if (v !== null) void update({ pods: { urgentLatePercent: v } }) }} />
            <NumberField key={`day-${view.budgets.dayUsd}`} label={t('settings.budgetDay')} value={view.budgets.dayUsd} min={0.01} step={0.5} nullable testId="budget-day-input" onCommit={(v) => void update({ budgets: { dayUsd: v } })} />
            <NumberField key={`month-${view.budgets.monthUsd}`} label={t('settings.budgetMonth')} value={view.budgets.monthUsd} min={0.01} step={1} nullable testId="budget-month-input" onCommit={(v) => void update({ budgets: { monthUsd: v } })} />
            <NumberField key={`comic-${view.budgets.comicUsd}`} label={t('settings.budgetComic')} value={view.budgets.comicUsd} min={0.01} step={0.1} nullable testId="budget-comic-input" onCommit={(v) => void update({ budgets: { comicUsd: v } })} />
            <NumberField key={`bid-${view.providers.bidPerGpu}`} label={t('settings.bidPerGpu')} value={view.providers.bidPerGpu} min={0.01} max={20} step={0.01} nullable testId="bid-input" onCommit={(v) => void update({ providers: { bidPerGpu: v } })} />
            <TextField key={`gpus-${view.providers.gpuTypes.join()}`} label={t('settings.gpuTypes')} value={view.providers.gpuTypes.join(', ')} testId="gpu-types"
              onCommit={(v) => { const list = v.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 8); if (list.length) void update({ providers: { gpuTypes: list } }) }} />
            <TextField key={`ep-${view.providers.serverlessEndpointId}`} label={t('settings.serverlessEndpoint')} value={view.providers.serverlessEndpointId ?? ''} testId="serverless-endpoint"
              onCommit={(v) => void update({ providers: { serverlessEndpointId: v || null } })} />
            <TextField key={`comfy-${view.providers.localComfyUrl}`} type="url" label={t('settings.localComfyUrl')} value={view.providers.localComfyUrl ?? ''} placeholder="http://127.0.0.1:8188" testId="local-comfy-url"
              onCommit={(v) => void update({ providers: { localComfyUrl: v || null } })} />
            <TextField key={`base-${view.openaiBaseUrl}`} type="url" label={t('settings.openaiBaseUrl')} value={view.openaiBaseUrl ?? ''} placeholder="https://api.openai.com/v1" testId="openai-base-url"
              onCommit={(v) => void update({ openaiBaseUrl: v || null })} />
            <TextField key={`model-${view.openaiModel}`} label={t('settings.openaiModel')} value={view.openaiModel} testId="openai-model"
              onCommit={(v) => { if (v) void update({ openaiModel: v }) }} />
          </div>
        </section>

        <section className="panel-card" aria-labelledby="data-title">
          <h2 id="data-title" className="card-heading">{t('settings.dataFolder')}</h2>
          <p className="data-dir" data-testid="data-dir"><Icon name="folder" size={16} /><code>{view.dataDir}</code></p>
          <p className="field-hint" lang={i18n.language}>{t('settings.version', { version: info?.version ?? '' })}</p>
        </section>
      </div>
    </section>
  )
}
