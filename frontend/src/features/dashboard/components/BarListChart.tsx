import { Bar, BarChart, XAxis, YAxis } from 'recharts';
import { axisTick, chartColors } from './chartStyle';

/** One horizontal bar: `value` sets its length, `valueLabel` is printed at the row's end. */
export type BarItem = { label: string; value: number; valueLabel: string };

const ROW_HEIGHT = 40;
/** Wide enough for "Local engine" or "100% · 12 of 12" on one line. */
const LABEL_WIDTH = 112;

/**
 * Horizontal bars with their values printed at the end of each row, so nothing hides in a
 * tooltip; the chart is one image named by `summary`.
 */
export function BarListChart({
  items,
  max,
  summary,
}: {
  items: BarItem[];
  /** The length of a full bar (e.g. 100 for percentages); the bars' track shows it. */
  max: number;
  summary: string;
}) {
  return (
    <div style={{ height: items.length * ROW_HEIGHT + 8 }}>
      <BarChart
        responsive
        layout="vertical"
        data={items}
        style={{ width: '100%', height: '100%' }}
        margin={{ top: 4, right: 0, bottom: 4, left: 0 }}
        barCategoryGap="28%"
        accessibilityLayer={false}
        role="img"
        aria-label={summary}
      >
        <XAxis type="number" domain={[0, max]} hide />
        <YAxis
          type="category"
          dataKey="label"
          width={LABEL_WIDTH}
          tick={{ ...axisTick, fill: 'var(--fg)' }}
          tickLine={false}
          axisLine={false}
        />
        {/* The values as a second axis, so an empty bar still shows its figure. */}
        <YAxis
          yAxisId="values"
          orientation="right"
          type="category"
          dataKey="valueLabel"
          width={LABEL_WIDTH}
          tick={axisTick}
          tickLine={false}
          axisLine={false}
        />
        <Bar
          dataKey="value"
          fill={chartColors[0]}
          radius={4}
          background={{ fill: 'var(--surface-2)', radius: 4 }}
          isAnimationActive={false}
        />
      </BarChart>
    </div>
  );
}
