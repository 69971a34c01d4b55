import type { Route } from '../state/hash.ts'
import { DEFAULT_SORT, chunkInput } from '../state/shelf.ts'

export type FirstCall = readonly [name: string, input: unknown]

// What a screen asks the engine for before it can draw: the shell's two queries, and for the shelf
// its first page of cards and whether any key is set (the offline hint sits above the cards).
export function firstCalls(route: Route): FirstCall[] {
  const shell: FirstCall[] = [['app.info', {}], ['styles.list', {}]]
  if (route.name !== 'library') return shell
  return [...shell, ['comics.list', chunkInput('', DEFAULT_SORT, route.trash, 0)], ['settings.get', {}]]
}

// The page names the calls of the screen it opens on by default (src/contract/page.ts), so `kitsumy
// serve` can answer them inside the page it sends instead of after the page has loaded and asked.
export const DEFAULT_FIRST_CALLS = firstCalls({ name: 'library', trash: false })
