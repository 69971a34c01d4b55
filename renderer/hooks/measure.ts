export interface ElementSize {
  // The content box's width (inside the padding, without the scrollbar).
  width: number
  // The visible height (clientHeight: with the padding, without a horizontal scrollbar).
  height: number
}

// Reading client sizes forces a layout if one is pending: callers choose when that is cheap.
export function contentSize(el: Element): ElementSize {
  const style = getComputedStyle(el)
  return { width: el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight), height: el.clientHeight }
}
