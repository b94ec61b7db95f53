import { clsx } from 'clsx';

/** How full a meter looks: calm below 80 %, a warning from there, the danger colour at 100 %. */
export function meterTone(value: number, max: number): 'ok' | 'high' | 'full' {
  if (max <= 0 || value >= max) return 'full';
  return value / max >= 0.8 ? 'high' : 'ok';
}

const fills = {
  ok: 'bg-accent',
  high: 'bg-warning',
  full: 'bg-danger',
} as const;

type MeterProps = {
  value: number;
  max: number;
  /** The id of the element that names the meter. */
  labelledBy: string;
  /** What a screen reader announces, e.g. "12 of 50 jobs used". */
  valueText: string;
  className?: string;
};

/** A horizontal gauge (`role="meter"`) of `value` out of `max`; past `max` it shows full. */
export function Meter({ value, max, labelledBy, valueText, className }: MeterProps) {
  const shown = Math.min(Math.max(value, 0), max);
  const percent = max > 0 ? (shown / max) * 100 : 100;
  const tone = meterTone(value, max);
  return (
    <div
      role="meter"
      aria-labelledby={labelledBy}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={shown}
      aria-valuetext={valueText}
      data-tone={tone}
      className={clsx('h-2 w-full overflow-hidden rounded-full bg-surface-2', className)}
    >
      <div
        className={clsx('h-full rounded-full transition-[width]', fills[tone])}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
