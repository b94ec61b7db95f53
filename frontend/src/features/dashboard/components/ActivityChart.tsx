import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
} from 'recharts';
import type { Kpis } from '@/lib/api/types';
import { formatCount, formatDay, formatPlural } from '@/lib/format';
import { ChartFigure } from './ChartFigure';
import { axisTick, chartColors, gridStroke, tooltipStyle } from './chartStyle';

type Day = Kpis['daily'][number];
type Measure = Exclude<keyof Day, 'date'>;

const SERIES: ReadonlyArray<{
  key: Measure;
  label: string;
  /** How the summary counts it: one, many. */
  noun: [string, string];
  color: string;
  dash?: string;
}> = [
  {
    key: 'jobs_created',
    label: 'Jobs created',
    noun: ['job created', 'jobs created'],
    color: chartColors[0],
  },
  {
    key: 'variants_accepted',
    label: 'Variants accepted',
    noun: ['variant accepted', 'variants accepted'],
    color: chartColors[1],
    dash: '6 3',
  },
  {
    key: 'posts_published',
    label: 'Posts published',
    noun: ['post published', 'posts published'],
    color: chartColors[2],
    dash: '2 3',
  },
];

/** The tooltip lists the series in their legend's order. */
const seriesOrder = (item: { dataKey?: unknown }) =>
  SERIES.findIndex((series) => series.key === item.dataKey);

/** Beyond a month of days, dots would crowd the lines. */
const MAX_DAYS_WITH_DOTS = 31;

/** A dot on the days something happened; quiet days stay plain line. */
function dotOnActiveDays(color: string) {
  return ({ cx, cy, value, index }: DotItemDotProps) =>
    Number(value) > 0 && cx != null && cy != null ? (
      <circle key={index} cx={cx} cy={cy} r={3} fill={color} />
    ) : null;
}

function summarise(daily: Day[]): string {
  if (daily.length === 0) return 'Daily activity: no days in this period.';
  const totals = SERIES.map(({ key, noun }) =>
    formatPlural(
      daily.reduce((sum, day) => sum + day[key], 0),
      ...noun,
    ),
  );
  const busiest = daily.reduce((best, day) => (day.jobs_created > best.jobs_created ? day : best));
  const range = `${formatDay(daily[0].date)} to ${formatDay(daily[daily.length - 1].date, { withYear: true })}`;
  const peak =
    busiest.jobs_created > 0
      ? ` Most jobs on ${formatDay(busiest.date)}: ${formatCount(busiest.jobs_created)}.`
      : '';
  return `Daily activity from ${range}: ${totals.join(', ')}.${peak}`;
}

/** Jobs created, variants accepted and posts published on each UTC day of the period. */
export function ActivityChart({ daily }: { daily: Day[] }) {
  const withDots = daily.length <= MAX_DAYS_WITH_DOTS;
  return (
    <ChartFigure
      title="Daily activity"
      description="Per UTC day. Use the arrow keys on the chart to step through the days."
      testId="activity-chart"
      table={{
        columns: ['Day', ...SERIES.map((series) => series.label)],
        rows: daily.map((day) => [
          formatDay(day.date, { withYear: true }),
          ...SERIES.map(({ key }) => formatCount(day[key])),
        ]),
      }}
    >
      <ul aria-hidden="true" className="mb-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted">
        {SERIES.map(({ key, label, color, dash }) => (
          <li key={key} className="inline-flex items-center gap-1.5">
            <svg width="18" height="8" viewBox="0 0 18 8">
              <line
                x1="1"
                y1="4"
                x2="17"
                y2="4"
                stroke={color}
                strokeWidth="2.5"
                strokeDasharray={dash}
              />
            </svg>
            {label}
          </li>
        ))}
      </ul>
      <div className="h-64">
        <LineChart
          responsive
          data={daily}
          style={{ width: '100%', height: '100%' }}
          margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
          aria-label={summarise(daily)}
        >
          <CartesianGrid stroke={gridStroke} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="date"
            tickFormatter={(date: string) => formatDay(date)}
            tick={axisTick}
            tickLine={false}
            axisLine={{ stroke: gridStroke }}
            minTickGap={24}
          />
          <YAxis allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} />
          <Tooltip
            {...tooltipStyle}
            cursor={{ stroke: gridStroke }}
            separator=": "
            itemSorter={seriesOrder}
            labelFormatter={(date) => formatDay(String(date), { withYear: true })}
          />
          {SERIES.map(({ key, label, color, dash }) => (
            <Line
              key={key}
              type="linear"
              dataKey={key}
              name={label}
              stroke={color}
              strokeWidth={2}
              strokeDasharray={dash}
              dot={withDots ? dotOnActiveDays(color) : false}
              activeDot={{ r: 4 }}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </div>
    </ChartFigure>
  );
}
