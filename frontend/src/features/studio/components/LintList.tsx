import { clsx } from 'clsx';
import type { LintFinding } from '@/lib/metadata';

export function LintList({ findings, testId }: { findings: LintFinding[]; testId?: string }) {
  if (findings.length === 0) {
    return (
      <p className="text-xs text-success" data-testid={testId}>
        No style issues found.
      </p>
    );
  }
  return (
    <ul className="flex flex-col gap-1.5" data-testid={testId} aria-label="Style findings">
      {findings.map((f, i) => (
        <li key={i} className="flex items-start gap-2 text-xs">
          <span
            className={clsx(
              'mt-px rounded px-1.5 py-0.5 font-semibold uppercase tracking-wide',
              f.severity === 'error'
                ? 'bg-danger-soft text-danger'
                : 'bg-amber-400/15 text-warning',
            )}
          >
            {f.severity}
          </span>
          <span className="text-fg">
            {f.message} <span className="text-muted">({f.rule})</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
