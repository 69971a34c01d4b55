// What the library asks for, kept apart from its store so the boot module can ask before the store loads.
export type LibrarySort = 'updated' | 'created' | 'title'

export const CHUNK = 60

export const DEFAULT_SORT: LibrarySort = 'updated'

export function chunkInput(query: string, sort: LibrarySort, trashed: boolean, chunk: number) {
  return { query, sort, trashed, offset: chunk * CHUNK, limit: CHUNK }
}
