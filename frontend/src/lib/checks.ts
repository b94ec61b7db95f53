import type { FailedCheck } from './api/types';

/** A post's lint findings as the API weighs them before it may be published. */
export type PublishChecks = {
  /** Block accepting and scheduling until the text is fixed. */
  errors: FailedCheck[];
  /** Allow accepting only when the user confirms ("publish anyway"). */
  warnings: FailedCheck[];
};

/** Splits lint findings into errors and warnings; `info` findings stand in nothing's way. */
export function publishChecks(findings: FailedCheck[]): PublishChecks {
  return {
    errors: findings.filter((f) => f.severity === 'error'),
    warnings: findings.filter((f) => f.severity !== 'error' && f.severity !== 'info'),
  };
}

/** "Fix 1 error to accept: Post 1 is 398 characters; X allows 280." */
export function fixErrorsFirst(errors: FailedCheck[], action: 'accept' | 'schedule'): string {
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  return `Fix ${count} to ${action}: ${errors.map((e) => e.message).join(' ')}`;
}
