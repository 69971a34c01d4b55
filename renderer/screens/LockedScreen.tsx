import { useTranslation } from 'react-i18next'
import { BrandMark } from '../components/BrandMark.tsx'
import { Icon } from '../components/Icon.tsx'

export function LockedScreen() {
  const { t } = useTranslation()
  return (
    <main className="locked" data-testid="locked">
      <div className="locked-card">
        <BrandMark large />
        <h1>{t('locked.title')}</h1>
        <p>{t('locked.body')}</p>
        <Icon name="key" size={28} />
      </div>
    </main>
  )
}
