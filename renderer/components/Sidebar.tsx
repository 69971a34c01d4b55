import { useTranslation } from 'react-i18next'
import { LANGUAGES } from '../../src/i18n/index.ts'
import { setLang } from '../i18n.ts'
import { useRoute, type Route } from '../state/routes.ts'
import { useShortcutsHelp } from '../hooks/useGlobalShortcuts.ts'
import { BrandMark } from './BrandMark.tsx'
import { Icon, type IconName } from './Icon.tsx'

interface NavItem {
  key: 'library' | 'newComic' | 'costs' | 'settings'
  icon: IconName
  to: Route
  active: (r: Route) => boolean
}

const ITEMS: NavItem[] = [
  { key: 'library', icon: 'library', to: { name: 'library', trash: false }, active: (r) => r.name === 'library' || r.name === 'reader' || r.name === 'editor' || r.name === 'characters' || r.name === 'progress' },
  { key: 'newComic', icon: 'plus', to: { name: 'new' }, active: (r) => r.name === 'new' },
  { key: 'costs', icon: 'coins', to: { name: 'costs' }, active: (r) => r.name === 'costs' },
  { key: 'settings', icon: 'gear', to: { name: 'settings' }, active: (r) => r.name === 'settings' },
]

export function Sidebar({ route }: { route: Route }) {
  const { t, i18n } = useTranslation()
  const go = useRoute((s) => s.go)
  const openHelp = useShortcutsHelp((s) => s.open)
  return (
    <aside className="sidebar">
      <div className="brand">
        <BrandMark />
        <span className="brand-text">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </span>
      </div>
      <nav aria-label={t('nav.main')} className="nav">
        {ITEMS.map((item) => (
          <a
            key={item.key}
            href={`#${item.to.name === 'library' ? '/' : `/${item.to.name}`}`}
            className={`nav-item${item.active(route) ? ' is-active' : ''}${item.key === 'newComic' ? ' nav-item-cta' : ''}`}
            aria-current={item.active(route) ? 'page' : undefined}
            data-testid={item.key === 'newComic' ? 'nav-new-comic' : `nav-${item.key}`}
            onClick={(e) => {
              e.preventDefault()
              go(item.to)
            }}
          >
            <Icon name={item.icon} />
            <span>{t(`nav.${item.key}`)}</span>
          </a>
        ))}
      </nav>
      <div className="sidebar-foot">
        <button type="button" className="ghost-button small" onClick={openHelp}>
          <Icon name="keyboard" />
          <span>{t('app.shortcuts')}</span>
        </button>
        <div className="lang-switch" role="group" aria-label={t('app.language')}>
          {LANGUAGES.map((lang) => (
            <button
              key={lang}
              type="button"
              className={i18n.language === lang ? 'is-active' : ''}
              aria-pressed={i18n.language === lang}
              lang={lang}
              data-testid={`lang-${lang}`}
              onClick={() => setLang(lang)}
            >
              {t(`app.languages.${lang}`)}
            </button>
          ))}
        </div>
      </div>
    </aside>
  )
}
