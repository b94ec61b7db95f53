import { clsx } from 'clsx';
import {
  createContext,
  useCallback,
  useContext,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

export type ToastKind = 'success' | 'error' | 'info';
type Toast = { id: number; kind: ToastKind; title: string; message?: string };

type ToastApi = {
  show: (kind: ToastKind, title: string, message?: string) => void;
  success: (title: string, message?: string) => void;
  error: (title: string, message?: string) => void;
  info: (title: string, message?: string) => void;
};

const ToastContext = createContext<ToastApi | null>(null);

/** A third stacked toast would cover much of a phone screen. */
const MAX_TOASTS = 2;

/**
 * The toasts shown once `toast` arrives: at most `MAX_TOASTS`, making room by dropping the
 * oldest success or info first, so an error stays until it times out or is dismissed unless
 * every toast shown is an error.
 */
function withToast(shown: readonly Toast[], toast: Toast): Toast[] {
  const kept = [...shown];
  while (kept.length >= MAX_TOASTS) {
    const oldestNonError = kept.findIndex((t) => t.kind !== 'error');
    kept.splice(oldestNonError === -1 ? 0 : oldestNonError, 1);
  }
  return [...kept, toast];
}

const kindStyles: Record<ToastKind, string> = {
  success: 'border-l-success',
  error: 'border-l-danger',
  info: 'border-l-accent',
};

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setToasts((ts) => ts.filter((t) => t.id !== id));
  }, []);

  const show = useCallback(
    (kind: ToastKind, title: string, message?: string) => {
      const id = nextId.current++;
      setToasts((ts) => withToast(ts, { id, kind, title, message }));
      setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000);
    },
    [dismiss],
  );

  const api = useMemo<ToastApi>(
    () => ({
      show,
      success: (t, m) => show('success', t, m),
      error: (t, m) => show('error', t, m),
      info: (t, m) => show('info', t, m),
    }),
    [show],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div
        aria-live="polite"
        aria-label="Notifications"
        role="region"
        data-toast
        className="pointer-events-none fixed right-4 bottom-4 z-50 flex [body:has([aria-modal])_&]:top-4 [body:has([aria-modal])_&]:bottom-auto w-[min(24rem,calc(100vw-2rem))] flex-col gap-2"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.kind === 'error' ? 'alert' : 'status'}
            data-testid={`toast-${t.kind}`}
            className={clsx(
              'pointer-events-auto flex items-start gap-3 rounded-lg border border-border border-l-4 bg-surface px-4 py-3 shadow-lg',
              kindStyles[t.kind],
            )}
          >
            <div className="min-w-0 flex-1">
              <p className="text-sm font-semibold">{t.title}</p>
              {t.message && <p className="mt-0.5 text-sm break-words text-muted">{t.message}</p>}
            </div>
            <button
              type="button"
              onClick={() => dismiss(t.id)}
              className="rounded px-1 text-muted hover:text-fg"
              aria-label="Dismiss notification"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToast must be used inside ToastProvider');
  return ctx;
}
