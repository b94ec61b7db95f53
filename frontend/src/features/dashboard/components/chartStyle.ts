/**
 * Colours and text styles shared by the dashboard's charts. They name the theme's CSS
 * variables (index.css), so one chart reads well in the dark and the light theme alike.
 */
export const chartColors = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)'] as const;

export const axisTick = { fill: 'var(--muted)', fontSize: 12 };

export const gridStroke = 'var(--border)';

export const tooltipStyle = {
  contentStyle: {
    background: 'var(--surface)',
    border: '1px solid var(--border)',
    borderRadius: 8,
    color: 'var(--fg)',
    fontSize: 12,
  },
  labelStyle: { color: 'var(--fg)', fontWeight: 600 },
  itemStyle: { padding: 0 },
};
