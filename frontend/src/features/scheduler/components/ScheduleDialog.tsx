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
  disabledReason,
}: {
  variant: { id: string; channel: string };
  /** Why it cannot be scheduled right now (e.g. unsaved edits), shown as its title. */
  disabledReason?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="sm"
        variant="primary"
        onClick={() => setOpen(true)}
        disabled={Boolean(disabledReason)}
        title={disabledReason}
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
