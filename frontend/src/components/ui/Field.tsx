import { clsx } from 'clsx';
import {
  forwardRef,
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

const control =
  'w-full rounded-lg border bg-surface px-3 text-sm text-fg placeholder:text-muted/80 ' +
  'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring ' +
  'disabled:cursor-not-allowed disabled:opacity-60';

function borderFor(error?: string | null) {
  return error ? 'border-danger' : 'border-border hover:border-muted/60';
}

type FieldShellProps = {
  id: string;
  label: ReactNode;
  error?: string | null;
  /** The API's own words behind `error`, offered under "Details" (see `humanError`). */
  errorDetail?: string | null;
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
  hideLabel?: boolean;
};

export function FieldShell({
  id,
  label,
  error,
  errorDetail,
  hint,
  children,
  className,
  hideLabel,
}: FieldShellProps) {
  return (
    <div className={clsx('flex flex-col gap-1.5', className)}>
      <label htmlFor={id} className={clsx('text-sm font-medium text-fg', hideLabel && 'sr-only')}>
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-danger" role="alert">
          {error}
        </p>
      )}
      {error && <ErrorDetails detail={errorDetail} />}
    </div>
  );
}

/** A closed "Details" disclosure with the raw message behind a friendlier error. */
export function ErrorDetails({ detail }: { detail?: string | null }) {
  if (!detail) return null;
  return (
    <details className="text-xs text-muted">
      <summary className="w-fit cursor-pointer hover:text-fg">Details</summary>
      <p className="mt-1 font-mono break-words">{detail}</p>
    </details>
  );
}

function describedBy(id: string, error?: string | null, hint?: ReactNode) {
  if (error) return `${id}-error`;
  if (hint) return `${id}-hint`;
  return undefined;
}

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: ReactNode;
  error?: string | null;
  errorDetail?: string | null;
  hint?: ReactNode;
  hideLabel?: boolean;
};

export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, error, errorDetail, hint, className, id: idProp, hideLabel, ...rest },
  ref,
) {
  const auto = useId();
  const id = idProp ?? auto;
  return (
    <FieldShell
      id={id}
      label={label}
      error={error}
      errorDetail={errorDetail}
      hint={hint}
      className={className}
      hideLabel={hideLabel}
    >
      <input
        ref={ref}
        id={id}
        className={clsx(control, 'h-10', borderFor(error))}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...rest}
      />
    </FieldShell>
  );
});

type TextAreaFieldProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  hideLabel?: boolean;
};

export const TextAreaField = forwardRef<HTMLTextAreaElement, TextAreaFieldProps>(
  function TextAreaField({ label, error, hint, className, id: idProp, hideLabel, ...rest }, ref) {
    const auto = useId();
    const id = idProp ?? auto;
    return (
      <FieldShell
        id={id}
        label={label}
        error={error}
        hint={hint}
        className={className}
        hideLabel={hideLabel}
      >
        <textarea
          ref={ref}
          id={id}
          className={clsx(control, 'min-h-24 py-2 leading-relaxed', borderFor(error))}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error, hint)}
          {...rest}
        />
      </FieldShell>
    );
  },
);

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  hideLabel?: boolean;
};

export function SelectField({
  label,
  error,
  hint,
  className,
  id: idProp,
  children,
  hideLabel,
  ...rest
}: SelectFieldProps) {
  const auto = useId();
  const id = idProp ?? auto;
  return (
    <FieldShell
      id={id}
      label={label}
      error={error}
      hint={hint}
      className={className}
      hideLabel={hideLabel}
    >
      <select
        id={id}
        className={clsx(control, 'h-10', borderFor(error))}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...rest}
      >
        {children}
      </select>
    </FieldShell>
  );
}

type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: ReactNode };

export function Checkbox({ label, className, id: idProp, ...rest }: CheckboxProps) {
  const auto = useId();
  const id = idProp ?? auto;
  return (
    <label
      htmlFor={id}
      className={clsx(
        'inline-flex cursor-pointer items-center gap-2 rounded-lg border border-border bg-surface px-3 py-2 text-sm',
        'has-[:checked]:border-accent has-[:checked]:bg-accent-soft has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring',
        className,
      )}
    >
      <input id={id} type="checkbox" className="size-4 accent-[var(--accent)]" {...rest} />
      <span>{label}</span>
    </label>
  );
}
