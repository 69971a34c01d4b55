import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'

// The renderer gets exactly two doors: call a contract command, and listen to studio events.
contextBridge.exposeInMainWorld('kitsumy', {
  invoke: (command: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('kitsumy:invoke', command, input),
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, event: unknown) => listener(event)
    ipcRenderer.on('kitsumy:event', handler)
    return () => ipcRenderer.removeListener('kitsumy:event', handler)
  },
})
