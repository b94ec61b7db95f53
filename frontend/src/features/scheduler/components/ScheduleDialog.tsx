import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { CalendarIcon } from '@/components/ui/icons';
import type { Schedule } from '@/lib/api/types';
import { channelLabel } from '../format';
import { ScheduleForm } from './ScheduleForm';

/** The schedule form in a dialog: for one post, or with a post picker when none is given. */
export function ScheduleDialog({
  variant,
  onClose,
  onSaved,
}: {
  variant?: { id: string; channel: string } | null;
  onClose: () => void;
  onSaved?: (schedule: Schedule) => void;
}) {
  return (
    <Dialog
      title={variant ? `Schedule ${channelLabel(variant.channel)} post` : 'New schedule'}
      description="Publish once or on a repeating schedule, in the time zone you choose."
      onClose={onClose}
      closeOnBackdrop={false}
      size="lg"
      testId="schedule-dialog"
    >
      <ScheduleForm
        variant={variant}
        onCancel={onClose}
        onSaved={(schedule) => {
          onSaved?.(schedule);
          onClose();
        }}
      />
    </Dialog>
  );
}

/** "Schedule" on an accepted post; opens the schedule dialog. */
export function ScheduleButton({
  variant,
  disabledReasonId,
}: {
  variant: { id: string; channel: string };
  /**
   * The id of the visible text saying why the post cannot be scheduled right now (unsaved
   * edits, a failing check); when set, the button is disabled and described by it.
   */
  disabledReasonId?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="sm"
        variant="primary"
        onClick={() => {
          // aria-disabled keeps the button focusable (so its reason is read), and clickable.
          if (!disabledReasonId) setOpen(true);
        }}
        aria-disabled={disabledReasonId ? true : undefined}
        aria-describedby={disabledReasonId}
        aria-haspopup="dialog"
        data-testid="schedule-button"
      >
        <CalendarIcon width={14} height={14} />
        Schedule
      </Button>
      {open && <ScheduleDialog variant={variant} onClose={() => setOpen(false)} />}
    </>
  );
}
