/**
 * Moves focus to the first control marked `aria-invalid` inside `root`, in document order, so
 * someone who submitted a form with the keyboard or a screen reader lands on what to fix. Call
 * it once the errors are in the DOM (after `flushSync`).
 */
export function focusFirstInvalid(root: HTMLElement | null): void {
  root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
