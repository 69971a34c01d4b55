import { useRef, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { STYLE_FAMILIES, type Style, type StyleId } from '../../src/contract/index.ts'
import { StyleSwatch } from './StyleSwatch.tsx'

// A radio group by family; arrow keys move the choice (roving tab stop), as a native radio group does.
export function StylePicker({ styles, value, onChange }: { styles: Style[]; value: StyleId; onChange(id: StyleId): void }) {
  const { t } = useTranslation()
  const refs = useRef(new Map<StyleId, HTMLButtonElement>())
  const ordered = STYLE_FAMILIES.flatMap((family) => styles.filter((s) => s.family === family))

  function onKey(e: KeyboardEvent) {
    const delta = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0
    if (!delta || ordered.length === 0) return
    e.preventDefault()
    const at = ordered.findIndex((s) => s.id === value)
    const next = ordered[(at + delta + ordered.length) % ordered.length]
    onChange(next.id)
    refs.current.get(next.id)?.focus()
  }

  return (
    <div className="style-picker" role="radiogroup" aria-labelledby="style-label" onKeyDown={onKey}>
      {STYLE_FAMILIES.map((family) => {
        const members = styles.filter((s) => s.family === family)
        if (members.length === 0) return null
        return (
          <div className="style-family" key={family} role="group" aria-labelledby={`family-${family}`}>
            <h3 className="style-family-name" id={`family-${family}`}>{t(`newComic.families.${family}`)}</h3>
            <div className="style-options">
              {members.map((style) => (
                <button
                  key={style.id}
                  ref={(el) => { if (el) refs.current.set(style.id, el); else refs.current.delete(style.id) }}
                  type="button"
                  role="radio"
                  aria-checked={style.id === value}
                  tabIndex={style.id === value ? 0 : -1}
                  className={`style-option${style.id === value ? ' is-selected' : ''}`}
                  data-testid={`style-option-${style.id}`}
                  onClick={() => onChange(style.id)}
                >
                  <StyleSwatch style={style} />
                  <span className="style-option-name">{t(`styleNames.${style.id}`, { defaultValue: style.name })}</span>
                </button>
              ))}
            </div>
          </div>
        )
      })}
    </div>
  )
}
