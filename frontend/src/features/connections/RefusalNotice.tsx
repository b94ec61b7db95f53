import { ErrorDetails } from '@/components/ui/Field';
import type { HumanError } from '@/lib/humanErrors';

/** Why connecting an account did not work, with the API's own words under "Details". */
export function RefusalNotice({ title, error }: { title?: string; error: HumanError }) {
  return (
    <div role="alert" className="rounded-lg border border-danger/40 bg-danger-soft p-3">
      {title && <p className="text-sm font-semibold text-danger">{title}</p>}
      <p className={title ? 'mt-0.5 text-sm' : 'text-sm font-medium text-danger'}>
        {error.message}
      </p>
      <ErrorDetails detail={error.detail} />
    </div>
  );
}
