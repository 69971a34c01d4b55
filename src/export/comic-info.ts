import type { Comic } from '../contract/index.ts'

export interface ComicInfoPage {
  width: number
  height: number
  bytes: number
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters even when escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
}

// ComicInfo.xml (the Anansi ComicInfo 2.0 schema read by ComicRack, Komga, Kavita); elements in schema order.
export function comicInfoXml(comic: Comic, pages: ComicInfoPage[], writer: string): string {
  const created = new Date(comic.createdAt)
  const characters = comic.characters.map((c) => c.name).join(', ')
  const fields: [string, string | number][] = [
    ['Title', comic.title],
    ['Summary', comic.summary || comic.idea],
    ['Notes', 'Made with Kitsumy Studio'],
    ['Year', created.getUTCFullYear()],
    ['Month', created.getUTCMonth() + 1],
    ['Day', created.getUTCDate()],
    ['Writer', writer],
    ['PageCount', pages.length],
    ['LanguageISO', comic.language],
    ['Manga', comic.readingOrder === 'rtl' ? 'YesAndRightToLeft' : 'No'],
  ]
  if (characters) fields.push(['Characters', characters])
  const pageList = pages.map((p, i) =>
    `    <Page Image="${i}" Type="Story" ImageSize="${p.bytes}" ImageWidth="${p.width}" ImageHeight="${p.height}"/>`).join('\n')
  return '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
    fields.map(([name, value]) => `  <${name}>${xml(String(value))}</${name}>`).join('\n') + '\n' +
    `  <Pages>\n${pageList}\n  </Pages>\n` +
    '</ComicInfo>\n'
}
