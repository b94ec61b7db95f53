import { QueueButton } from './components/QueueButton';
import { ScheduleButton } from './components/ScheduleDialog';
import { VariantSchedules } from './components/VariantSchedules';

/**
 * The scheduler's part of a post's card, which the Studio and a job's page hand to the variant
 * workspace: Schedule and Add to queue beside Accept, and the post's schedules below.
 */
type Post = { id: string; channel: string };

export const variantScheduling = {
  actions: (variant: Post, disabledReasonId: string | undefined) => (
    <>
      <ScheduleButton variant={variant} disabledReasonId={disabledReasonId} />
      <QueueButton variant={variant} disabledReasonId={disabledReasonId} />
    </>
  ),
  summary: (variant: Post) => <VariantSchedules variantId={variant.id} />,
};
