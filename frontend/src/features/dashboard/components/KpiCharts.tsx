import { CHANNEL_LABELS, isChannel, type Kpis } from '@/lib/api/types';
import { formatCount, formatPercent, formatPlural } from '@/lib/format';
import { describeCounts, engagements } from '@/lib/results';
import { NETWORK_LABELS } from '@/lib/connections/networks';
import { ActivityChart } from './ActivityChart';
import { BarListChart } from './BarListChart';
import { ChartFigure } from './ChartFigure';
import { TopPosts } from './TopPosts';

const PROVIDER_LABELS: Record<string, string> = { local: 'Local engine', openai: 'OpenAI' };

function channelLabel(channel: string): string {
  return isChannel(channel) ? CHANNEL_LABELS[channel] : channel;
}

function providerLabel(provider: string): string {
  return PROVIDER_LABELS[provider] ?? provider;
}

function AcceptanceByChannel({ channels }: { channels: Kpis['variants']['by_channel'] }) {
  const rows = channels.map((c) => ({
    label: channelLabel(c.channel),
    rate: c.acceptance_rate == null ? '—' : formatPercent(c.acceptance_rate),
    share: `${formatCount(c.accepted)} of ${formatCount(c.generated)}`,
    value: (c.acceptance_rate ?? 0) * 100,
  }));
  return (
    <ChartFigure
      title="Acceptance rate by channel"
      description="Accepted variants out of those generated for the period’s jobs."
      table={{
        columns: ['Channel', 'Acceptance rate', 'Accepted of generated'],
        rows: rows.map((row) => [row.label, row.rate, row.share]),
      }}
    >
      {rows.length === 0 ? (
        <p className="text-sm text-muted">No variants were generated in this period.</p>
      ) : (
        <BarListChart
          max={100}
          summary={`Acceptance rate by channel: ${rows.map((row) => `${row.label} ${row.rate} (${row.share})`).join(', ')}.`}
          items={rows.map((row) => ({
            label: row.label,
            value: row.value,
            valueLabel: `${row.rate} · ${row.share}`,
          }))}
        />
      )}
    </ChartFigure>
  );
}

function GenerationsByProvider({ providers }: { providers: Kpis['generations_by_provider'] }) {
  const rows = providers.map((p) => ({ label: providerLabel(p.provider), jobs: p.jobs }));
  return (
    <ChartFigure
      title="Generations by provider"
      description="Jobs written by the local engine or a model provider; jobs not yet written are left out."
      table={{
        columns: ['Provider', 'Jobs'],
        rows: rows.map((row) => [row.label, formatCount(row.jobs)]),
      }}
    >
      {rows.length === 0 ? (
        <p className="text-sm text-muted">No job in this period has been written yet.</p>
      ) : (
        <BarListChart
          max={Math.max(...rows.map((row) => row.jobs))}
          summary={`Generations by provider: ${rows.map((row) => `${row.label} ${formatPlural(row.jobs, 'job', 'jobs')}`).join(', ')}.`}
          items={rows.map((row) => ({
            label: row.label,
            value: row.jobs,
            valueLabel: formatPlural(row.jobs, 'job', 'jobs'),
          }))}
        />
      )}
    </ChartFigure>
  );
}

function ResultsByChannel({ networks }: { networks: Kpis['results']['by_network'] }) {
  const rows = networks.map((n) => ({
    label: NETWORK_LABELS[n.network],
    engagements: engagements(n),
    counts: describeCounts(n).join(' · '),
    totals: n,
  }));
  return (
    <ChartFigure
      title="Results by channel"
      description="Engagements (likes, reposts and replies together) of the posts published to your connected accounts in this period, as last counted in the week after each post."
      testId="results-by-channel"
      table={{
        columns: ['Channel', 'Posts', 'Likes', 'Reposts', 'Replies', 'Views'],
        rows: rows.map(({ label, totals }) => [
          label,
          formatCount(totals.posts),
          formatCount(totals.likes),
          formatCount(totals.reposts),
          formatCount(totals.replies),
          totals.impressions == null ? 'Not counted' : formatCount(totals.impressions),
        ]),
      }}
    >
      {rows.length === 0 ? (
        <p className="text-sm text-muted">
          No post published to a connected account in this period has been counted yet. Counts are
          read an hour after a post goes out.
        </p>
      ) : (
        <div className="flex flex-col gap-3">
          <BarListChart
            max={Math.max(1, ...rows.map((row) => row.engagements))}
            summary={`Engagements by channel: ${rows.map((row) => `${row.label} ${row.counts}`).join('; ')}.`}
            items={rows.map((row) => ({
              label: row.label,
              value: row.engagements,
              valueLabel: formatCount(row.engagements),
            }))}
          />
          <ul className="flex flex-col gap-1 text-xs text-muted" aria-hidden="true">
            {rows.map((row) => (
              <li key={row.label}>
                <span className="font-medium text-fg">{row.label}</span>:{' '}
                {formatPlural(row.totals.posts, 'post', 'posts')} · {row.counts}
              </li>
            ))}
          </ul>
        </div>
      )}
    </ChartFigure>
  );
}

/**
 * The period's charts: activity per day, acceptance per channel and jobs per provider, then how
 * the posts published to connected accounts are doing.
 */
export function KpiCharts({ kpis }: { kpis: Kpis }) {
  return (
    <section aria-labelledby="charts-title" className="flex flex-col gap-4">
      <h2 id="charts-title" className="sr-only">
        Charts
      </h2>
      <ActivityChart daily={kpis.daily} />
      <div className="grid gap-4 lg:grid-cols-2">
        <AcceptanceByChannel channels={kpis.variants.by_channel} />
        <GenerationsByProvider providers={kpis.generations_by_provider} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <ResultsByChannel networks={kpis.results.by_network} />
        <TopPosts posts={kpis.results.top_posts} />
      </div>
    </section>
  );
}
