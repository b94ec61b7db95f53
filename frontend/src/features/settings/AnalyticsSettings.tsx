import { useId } from 'react';
import { Card } from '@/components/ui/Card';
import { Switch } from '@/components/ui/Switch';
import { analyticsAvailable, setAnalyticsOptOut, useAnalyticsOptOut } from '@/lib/analytics';

/** The switch for product analytics in this browser; absent when this Kyros collects none. */
export function AnalyticsSettings() {
  const optedOut = useAnalyticsOptOut();
  const titleId = useId();
  const descriptionId = useId();
  const availability = analyticsAvailable();
  if (availability === 'unconfigured') return null;
  const refused = availability === 'refused-by-browser';
  return (
    <Card className="p-5">
      <div className="flex items-start gap-4">
        <div className="min-w-0 flex-1">
          <h2 id={titleId} className="font-semibold">
            Usage analytics
          </h2>
          <p id={descriptionId} className="mt-1 text-sm text-muted">
            {refused
              ? 'Your browser asks sites not to track you, so Kyros sends no usage analytics.'
              : 'Helps improve Kyros with anonymous counts of steps such as generating, exporting and scheduling. Never your posts, sources or email address.'}
          </p>
        </div>
        <Switch
          checked={!refused && !optedOut}
          disabled={refused}
          onCheckedChange={(on) => setAnalyticsOptOut(!on)}
          aria-labelledby={titleId}
          aria-describedby={descriptionId}
          data-testid="analytics-switch"
        />
      </div>
    </Card>
  );
}
