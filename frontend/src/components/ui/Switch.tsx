import { clsx } from 'clsx';
import type { ButtonHTMLAttributes } from 'react';

type SwitchProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onChange' | 'role'> & {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  /** Shown while a change is being saved; the switch stays where it was asked to go. */
  busy?: boolean;
};

/**
 * An on/off switch: a `<button role="switch">` with `aria-checked`, toggled by click, Space or
 * Enter. Name it with `aria-label` or `aria-labelledby`.
 */
export function Switch({
  checked,
  onCheckedChange,
  busy = false,
  className,
  disabled,
  ...rest
}: SwitchProps) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-busy={busy || undefined}
      disabled={disabled}
      onClick={() => onCheckedChange(!checked)}
      className={clsx(
        'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border transition-colors',
        'disabled:cursor-not-allowed disabled:opacity-60 aria-busy:cursor-progress',
        checked ? 'border-accent bg-accent' : 'border-border bg-surface-2 hover:border-muted/60',
        className,
      )}
      {...rest}
    >
      <span
        aria-hidden="true"
        className={clsx(
          'inline-block size-4.5 rounded-full shadow-sm transition-transform',
          checked ? 'translate-x-5.5 bg-accent-fg' : 'translate-x-0.5 bg-muted',
        )}
      />
    </button>
  );
}
