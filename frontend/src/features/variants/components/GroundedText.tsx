import { segmentByGrounding, type GroundingEntry } from '@/lib/grounding';

/**
 * Reports the source spans of the grounded sentence pointed at, or `null` once none is. A `tap`
 * (touch) toggles: touch screens have no hover to leave, so a second tap hides it again.
 */
export type GroundingHandler = (spans: Array<[number, number]> | null, gesture?: 'tap') => void;

/** How a grounded sentence looks and what it says it does, wherever a preview marks one. */
export const GROUNDED_SENTENCE = {
  title: 'Show where this comes from in the source',
  className:
    'cursor-help rounded-sm decoration-accent-text/50 decoration-dotted underline-offset-4 hover:bg-accent-soft hover:underline focus:bg-accent-soft focus:underline',
};

/** Text whose grounded sentences can be hovered, focused or tapped to highlight their source. */
export function GroundedText({
  text,
  grounding,
  onGrounding,
}: {
  text: string;
  grounding: readonly GroundingEntry[];
  onGrounding?: GroundingHandler;
}) {
  if (!onGrounding || grounding.length === 0) return <>{text}</>;
  const segments = segmentByGrounding(text, grounding);
  return (
    <>
      {segments.map((s, i) =>
        s.spans ? (
          <span
            key={i}
            tabIndex={0}
            data-grounded="true"
            title={GROUNDED_SENTENCE.title}
            className={GROUNDED_SENTENCE.className}
            onMouseEnter={() => onGrounding(s.spans)}
            onMouseLeave={() => onGrounding(null)}
            onFocus={() => onGrounding(s.spans)}
            onBlur={() => onGrounding(null)}
            onPointerUp={(e) => {
              if (e.pointerType === 'touch') onGrounding(s.spans, 'tap');
            }}
          >
            {s.text}
          </span>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
