import { clsx } from 'clsx';
import type { FailedCheck } from '@/lib/api/types';

/** Plain names for the engine's quality checks, which read a post as a reader would. */
const QUALITY_CHECKS: Record<string, string> = {
  'quality.markup_residue': 'markup left in',
  'quality.dangling_colon': 'colon without its list',
  'quality.unresolved_opener': 'points back to nothing',
  'quality.label_or_byline': 'byline or label',
  'quality.one_word_heading': 'empty heading',
  'quality.stopword_hashtag': 'hashtag is not a topic',
  'quality.cut_title': 'title cut mid-phrase',
  'quality.content_free_post': 'post says nothing',
};

/** What a finding is called: a quality check's plain name, else the channel rule's id. */
export function ruleLabel(rule: string): string {
  return QUALITY_CHECKS[rule] ?? rule;
}

export function LintList({ findings, testId }: { findings: FailedCheck[]; testId?: string }) {
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
            {f.message}{' '}
            <span className="text-muted" title={f.rule}>
              ({ruleLabel(f.rule)})
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
