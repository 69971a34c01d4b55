import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { describeError } from '../../src/i18n/index.ts'
import { isClientError } from '../client/index.ts'
import { toast } from '../state/session.ts'

export function useErrorToast(): (err: unknown) => void {
  const { t } = useTranslation()
  return useCallback((err: unknown) => {
    if (isClientError(err)) toast(describeError(t, err.code, err.message), 'error')
    else toast(t('errors.internal'), 'error')
  }, [t])
}
