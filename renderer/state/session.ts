import { create } from 'zustand'
import type { CommandInput, CommandName, CommandOutput, Style, StudioEvent } from '../../src/contract/index.ts'
import { isClientError, type StudioClient } from '../client/index.ts'
import { applyEvent, dismissNotice, emptyLive, type LiveState } from './live.ts'

export type AppInfo = CommandOutput<'app.info'>

export interface Toast {
  id: number
  text: string
  tone: 'info' | 'error'
}

interface SessionState {
  client: StudioClient | null
  locked: boolean
  connected: boolean
  info: AppInfo | null
  styles: Style[]
  live: LiveState
  toasts: Toast[]
}

export const useSession = create<SessionState>(() => ({
  client: null,
  locked: false,
  connected: true,
  info: null,
  styles: [],
  live: emptyLive,
  toasts: [],
}))

const eventListeners = new Set<(event: StudioEvent) => void>()

// Screens that need more than the live summary (the editor, the library) listen here.
export function onStudioEvent(listener: (event: StudioEvent) => void): () => void {
  eventListeners.add(listener)
  return () => eventListeners.delete(listener)
}

export async function call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
  const client = useSession.getState().client
  if (!client) throw new Error('no studio client')
  try {
    return await client.call(name, input)
  } catch (err) {
    if (isClientError(err, 'unauthorized')) useSession.setState({ locked: true })
    throw err
  }
}

export function fileUrl(imageId: string): string {
  return useSession.getState().client?.fileUrl(imageId) ?? ''
}

let toastSeq = 0
export function toast(text: string, tone: Toast['tone'] = 'info'): void {
  const id = ++toastSeq
  useSession.setState((s) => ({ toasts: [...s.toasts, { id, text, tone }].slice(-4) }))
  setTimeout(() => dismissToast(id), tone === 'error' ? 8000 : 4000)
}

export function dismissToast(id: number): void {
  useSession.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
}

export function dismissLiveNotice(id: number): void {
  useSession.setState((s) => ({ live: dismissNotice(s.live, id) }))
}

// Events are folded into the live state from the moment the app starts, so nothing is missed
// between "Create" and the progress screen opening. Resolves once the styles are in (cards draw with them).
export function startSession(client: StudioClient): Promise<void> {
  useSession.setState({ client, locked: false })
  client.onEvent((event) => {
    useSession.setState((s) => ({ live: applyEvent(s.live, event, Date.now()) }))
    for (const listener of eventListeners) listener(event)
  })
  client.onConnection((up) => useSession.setState({ connected: up }))
  void call('app.info', {}).then((info) => useSession.setState({ info }), () => {})
  return call('styles.list', {}).then((styles) => useSession.setState({ styles }), () => {})
}
