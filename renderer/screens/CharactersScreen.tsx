import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS, type Character, type CharacterLook, type Comic } from '../../src/contract/index.ts'
import { HistoryButtons, useHistoryKeys } from '../components/editor/History.tsx'
import { randomSeed } from '../components/editor/structureEdits.ts'
import { Icon } from '../components/Icon.tsx'
import { useErrorToast } from '../hooks/useErrorToast.ts'
import { useRedrawEstimate } from '../hooks/useRedrawEstimate.ts'
import { closeEditor, editorEvent, openEditor, perform, regenerate, useEditor } from '../state/editor.ts'
import type { CharacterPatch } from '../state/edits.ts'
import { useRoute } from '../state/routes.ts'
import { call, fileUrl, onStudioEvent } from '../state/session.ts'

const LOOK_FIELDS = ['face', 'hair', 'build', 'outfit'] as const
// Colours are words from the story writer ("crimson", "golden tan"); only real CSS colours get a dot.
const isCssColor = (c: string) => CSS.supports('color', c)
const MAX_SIDE = 1024

function editCharacter(c: Character, patch: CharacterPatch, mergeKey?: string): void {
  const before = Object.fromEntries(Object.keys(patch).map((k) => [k, c[k as keyof CharacterPatch]])) as CharacterPatch
  perform('character', { kind: 'character', characterId: c.id, patch }, { kind: 'character', characterId: c.id, patch: before }, mergeKey)
}

// Reference pictures are scaled down in the page before upload: the engine needs a likeness, not megapixels.
async function shrink(file: File): Promise<{ mime: 'image/png' | 'image/jpeg'; base64: string }> {
  const bitmap = await createImageBitmap(file)
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height))
  const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale))
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  const mime = file.type === 'image/png' ? 'image/png' : 'image/jpeg'
  const blob = await canvas.convertToBlob({ type: mime, quality: 0.9 })
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { mime, base64: btoa(binary) }
}

// A new member of the cast, named and described by the person; drawn from their look like any other.
function addCharacter(comic: Comic, name: string): string {
  const character: Character = { id: crypto.randomUUID(), name, role: '', look: { face: '', hair: '', build: '', outfit: '', colors: [] }, seed: randomSeed(), referenceImage: null }
  perform('addCharacter', { kind: 'addCharacter', index: comic.characters.length, character }, { kind: 'deleteCharacter', characterId: character.id })
  return character.id
}

function deleteCharacter(comic: Comic, character: Character): void {
  perform('deleteCharacter', { kind: 'deleteCharacter', characterId: character.id }, { kind: 'addCharacter', index: comic.characters.indexOf(character), character })
}

function panelsWith(comic: Comic, characterId: string) {
  return comic.pages.flatMap((page, p) => page.panels.filter((panel) => panel.characterIds.includes(characterId)).map((panel) => ({ panel, page: p + 1, index: page.panels.indexOf(panel) + 1 })))
}

// `fresh`: just added, so its name field takes the focus (and scrolls into view) to be named at once.
function CharacterCard({ comic, character, fresh }: { comic: Comic; character: Character; fresh: boolean }) {
  const { t } = useTranslation()
  const go = useRoute((s) => s.go)
  const showError = useErrorToast()
  const fileRef = useRef<HTMLInputElement>(null)
  const [uploading, setUploading] = useState(false)
  const uses = panelsWith(comic, character.id)
  const speaks = comic.pages.some((p) => p.panels.some((x) => x.bubbles.some((b) => b.speakerId === character.id)))
  const inUse = uses.length > 0 || speaks
  const estimate = useRedrawEstimate(comic.styleId, comic.pages.length, uses.length)
  const look = character.look
  const setLook = (change: Partial<CharacterLook>, key: string) => editCharacter(character, { look: { ...look, ...change } }, `${key}:${character.id}`)
  const initials = character.name.split(/\s+/).map((w) => w[0]).join('').slice(0, 2).toUpperCase()

  async function attach(file: File | undefined) {
    if (!file) return
    setUploading(true)
    try {
      const { image } = await call('images.upload', await shrink(file))
      editCharacter(character, { referenceImage: image })
    } catch (err) {
      showError(err)
    } finally {
      setUploading(false)
      if (fileRef.current) fileRef.current.value = ''
    }
  }

  return (
    <article className="character-card" data-testid="character-card" data-character-id={character.id} aria-labelledby={`char-${character.id}`}>
      <div className="character-top">
        <div className="character-avatar" style={{ background: look.colors.find(isCssColor) }}>
          {character.referenceImage ? <img src={fileUrl(character.referenceImage)} alt={t('characters.reference')} /> : <span aria-hidden="true">{initials}</span>}
        </div>
        <div className="character-id">
          <label className="sr-only" htmlFor={`char-${character.id}`}>{t('characters.name')}</label>
          <input id={`char-${character.id}`} className="character-name" value={character.name} maxLength={80} data-testid="character-name" autoFocus={fresh} onFocus={(e) => { if (fresh) e.currentTarget.select() }}
            onChange={(e) => { if (e.target.value.trim()) editCharacter(character, { name: e.target.value }, `name:${character.id}`) }} />
          <label className="sr-only" htmlFor={`role-${character.id}`}>{t('characters.role')}</label>
          <input id={`role-${character.id}`} className="character-role" value={character.role} maxLength={200} placeholder={t('characters.role')}
            onChange={(e) => editCharacter(character, { role: e.target.value }, `role:${character.id}`)} />
          <span className="character-seed">{t('characters.seed', { seed: character.seed })}</span>
        </div>
      </div>
      <div className="look-grid">
        {LOOK_FIELDS.map((field) => (
          <label key={field} className="field">
            <span className="field-label">{t(`characters.${field}`)}</span>
            <textarea rows={2} maxLength={400} value={look[field]} data-testid={`character-${field}`} onChange={(e) => setLook({ [field]: e.target.value }, field)} />
          </label>
        ))}
        <label className="field look-colors">
          <span className="field-label">{t('characters.colors')}</span>
          <input type="text" value={look.colors.join(', ')} placeholder={t('characters.colorsHint')}
            onChange={(e) => setLook({ colors: e.target.value.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 6).map((s) => s.slice(0, 40)) }, 'colors')} />
          <span className="color-dots" aria-hidden="true">{look.colors.filter(isCssColor).map((c, i) => <span key={i} style={{ background: c }} />)}</span>
        </label>
      </div>
      <div className="button-row">
        <input ref={fileRef} type="file" accept="image/png,image/jpeg,image/webp" className="sr-only" tabIndex={-1} onChange={(e) => void attach(e.target.files?.[0])} data-testid="reference-file" />
        <button type="button" className="button small" disabled={uploading} onClick={() => fileRef.current?.click()}>
          <Icon name="image" />
          <span>{uploading ? t('common.saving') : t('characters.attachReference')}</span>
        </button>
        {character.referenceImage && (
          <button type="button" className="button small danger" onClick={() => editCharacter(character, { referenceImage: null })}>
            <Icon name="close" />
            <span>{t('characters.removeReference')}</span>
          </button>
        )}
        <button type="button" className="button small danger" data-testid="character-delete" disabled={inUse} title={inUse ? t('characters.inUse') : undefined}
          onClick={() => deleteCharacter(comic, character)}>
          <Icon name="trash" />
          <span>{t('characters.delete')}</span>
        </button>
      </div>
      <div className="character-uses">
        <p className="field-label">{uses.length ? t('characters.usedIn', { count: uses.length }) : t('characters.notUsed')}</p>
        {uses.length > 0 && (
          <>
            <ul className="use-strip">
              {uses.map(({ panel, page, index }) => (
                <li key={panel.id}>
                  <button type="button" className="use-thumb" aria-label={t('editor.pagePanel', { page, panel: index })} title={t('editor.pagePanel', { page, panel: index })}
                    onClick={() => go({ name: 'editor', comicId: comic.id, panelId: panel.id })}>
                    {panel.image ? <img src={fileUrl(panel.image)} alt="" /> : <Icon name="image" size={14} />}
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" className="button small" data-testid="character-regenerate"
              onClick={() => { const group = crypto.randomUUID(); for (const { panel } of uses) regenerate(panel.id, panel.seed, group).catch(showError) }}>
              <Icon name="refresh" />
              <span>{t('characters.regeneratePanels', { count: uses.length })}</span>
            </button>
            {estimate && <p className="field-hint" data-testid="character-redraw-estimate">{estimate}</p>}
          </>
        )}
      </div>
    </article>
  )
}

export function CharactersScreen({ comicId }: { comicId: string }) {
  const { t } = useTranslation()
  const go = useRoute((s) => s.go)
  const comic = useEditor((s) => s.comic)
  const saving = useEditor((s) => s.saving)
  const [added, setAdded] = useState<string | null>(null)
  useHistoryKeys()

  useEffect(() => {
    void openEditor(comicId).catch(() => {})
    const off = onStudioEvent(editorEvent)
    return () => {
      off()
      closeEditor()
    }
  }, [comicId])

  return (
    <section className="screen characters-screen" data-testid="characters" aria-labelledby="characters-title">
      <header className="screen-header">
        <div className="screen-title-block">
          <p className="eyebrow">{comic?.title || t('library.untitled')}</p>
          <h1 id="characters-title">{t('characters.title')}</h1>
          <p className="screen-subtitle" data-testid="save-state" data-state={saving > 0 ? 'saving' : 'saved'}>{saving > 0 ? t('common.saving') : t('common.saved')}</p>
        </div>
        <div className="header-actions">
          <HistoryButtons />
          <button type="button" className="button" data-testid="character-add" disabled={!comic || comic.characters.length >= LIMITS.characters}
            title={comic && comic.characters.length >= LIMITS.characters ? t('characters.castFull') : undefined}
            onClick={() => { if (comic) setAdded(addCharacter(comic, t('characters.newName'))) }}>
            <Icon name="plus" />
            <span>{t('characters.add')}</span>
          </button>
          <button type="button" className="button" onClick={() => go({ name: 'reader', comicId, page: 0 })}>
            <Icon name="book" />
            <span>{t('common.read')}</span>
          </button>
          <button type="button" className="button primary" onClick={() => go({ name: 'editor', comicId })}>
            <Icon name="pencil" />
            <span>{t('common.edit')}</span>
          </button>
        </div>
      </header>
      {comic && comic.characters.length === 0 && <div className="empty-state"><p>{t('characters.empty')}</p></div>}
      <div className="character-grid">
        {comic?.characters.map((c) => <CharacterCard key={c.id} comic={comic} character={c} fresh={c.id === added} />)}
      </div>
    </section>
  )
}
