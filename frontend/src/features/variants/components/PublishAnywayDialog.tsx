import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import type { FailedCheck } from '@/lib/api/types';
import { LintList } from './LintList';

/**
 * Asks before accepting a post that still has warnings: accepted means safe to publish, so the
 * user either publishes it as it is or goes back to fix it.
 */
export function PublishAnywayDialog({
  label,
  warnings,
  onPublishAnyway,
  onKeepEditing,
  onClose,
}: {
  /** The channel's name, e.g. "LinkedIn". */
  label: string;
  warnings: FailedCheck[];
  onPublishAnyway: () => void;
  onKeepEditing: () => void;
  onClose: () => void;
}) {
  const count = warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`;
  return (
    <Dialog
      title={`Accept the ${label} post with ${count}?`}
      description="Accepting marks the post as ready to publish. These checks still flag it:"
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onKeepEditing} data-autofocus>
            Keep editing
          </Button>
          <Button variant="primary" onClick={onPublishAnyway}>
            Publish anyway
          </Button>
        </>
      }
    >
      <LintList findings={warnings} />
    </Dialog>
  );
}
