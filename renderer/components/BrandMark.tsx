import { useTranslation } from 'react-i18next'

export function BrandMark({ large = false }: { large?: boolean }) {
  const { t } = useTranslation()
  return <span className={`brand-mark${large ? ' large' : ''}`} aria-hidden="true">{t('app.mark')}</span>
}
