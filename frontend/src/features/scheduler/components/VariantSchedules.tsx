import { Link } from 'react-router';
import { CalendarIcon } from '@/components/ui/icons';
import { dateTimeIn } from '../format';
import { useSchedulesOfVariant } from '../queries';
import { describeStored } from '../recurrence';

/**
 * The schedules that publish a post, on its card: "Every Monday at 09:00 Europe/Berlin · next
 * Mon 7 Dec, 09:00", each a link to the schedule, so nobody schedules the same post twice by
 * accident.
 */
export function VariantSchedules({ variantId }: { variantId: string }) {
  const schedules = useSchedulesOfVariant(variantId);
  if (!schedules.data?.length) return null;
  return (
    <ul className="flex flex-col gap-1" data-testid="variant-schedules">
      {schedules.data.map((s) => (
        <li key={s.id}>
          <Link
            to={`/scheduler?schedule=${s.id}`}
            className="inline-flex items-center gap-1.5 text-xs text-accent-text hover:underline"
          >
            <CalendarIcon width={12} height={12} aria-hidden="true" />
            <span>
              {s.status === 'paused' ? 'Paused: ' : 'Scheduled: '}
              {describeStored(s.run_at, s.timezone, s.recurrence)}
              {s.next_run_at && s.status === 'active' && (
                <> · next {dateTimeIn(s.next_run_at, s.timezone)}</>
              )}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
