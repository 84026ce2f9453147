// Keyboard rules every screen shares: a key is a shortcut only when it is not typing into a field
// and no dialog or open list is taking keys for itself.
const NON_TEXT_INPUTS: ReadonlySet<string> = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset', 'image']);

/** A dialog or an open list on screen (it takes Esc and the arrows for itself). */
export function openPopup(): boolean {
  return [...document.querySelectorAll('[role="dialog"], [role="listbox"]')].some((el) => el.getClientRects().length > 0);
}

/** Whether typing goes into this element (then M is a letter, not the mark key). */
export function isTextEntry(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  return el instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(el.type);
}

/** A plain key press meant as a shortcut: no modifier but Shift, not in a field, no dialog open. */
export function isShortcut(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return false;
  if (isTextEntry(document.activeElement) || (e.target instanceof Element && isTextEntry(e.target))) return false;
  return !openPopup();
}
