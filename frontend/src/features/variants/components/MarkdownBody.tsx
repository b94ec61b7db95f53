import { clsx } from 'clsx';
import { useMemo } from 'react';
import { segmentByGrounding, type GroundingEntry } from '@/lib/grounding';
import { markdownToSafeFragment } from '@/lib/markdown';
import { GROUNDED_SENTENCE, type GroundingHandler } from './GroundedText';

type Spans = Array<[number, number]>;

/** Sanitised HTML and, by the index each grounded span carries, the source spans it came from. */
type RenderedMarkdown = { html: string; sourceSpans: Spans[] };

/**
 * Wraps each grounded sentence in a focusable span, as `GroundedText` does for plain text.
 * Sentences are matched inside one text node at a time, so one that crosses inline markup
 * (a bold phrase, a link) stays unmarked.
 */
function markGroundedSentences(root: DocumentFragment, grounding: readonly GroundingEntry[]) {
  const sourceSpans: Spans[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const textNodes: Text[] = [];
  while (walker.nextNode()) textNodes.push(walker.currentNode as Text);
  for (const node of textNodes) {
    const segments = segmentByGrounding(node.data, grounding);
    if (!segments.some((s) => s.spans)) continue;
    const replacement = document.createDocumentFragment();
    for (const segment of segments) {
      if (!segment.spans) {
        replacement.append(segment.text);
        continue;
      }
      const span = document.createElement('span');
      span.textContent = segment.text;
      span.tabIndex = 0;
      span.title = GROUNDED_SENTENCE.title;
      span.className = GROUNDED_SENTENCE.className;
      span.dataset.grounded = 'true';
      span.dataset.sourceSpans = String(sourceSpans.length);
      sourceSpans.push(segment.spans);
      replacement.append(span);
    }
    node.replaceWith(replacement);
  }
  return sourceSpans;
}

function renderMarkdown(markdown: string, grounding: readonly GroundingEntry[]): RenderedMarkdown {
  const fragment = markdownToSafeFragment(markdown);
  const sourceSpans = grounding.length > 0 ? markGroundedSentences(fragment, grounding) : [];
  const container = document.createElement('div');
  container.append(fragment);
  return { html: container.innerHTML, sourceSpans };
}

function groundedSpanAt(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>('[data-grounded]') : null;
}

// Tailwind's reset leaves generated elements unstyled and there is no typography plugin here,
// so the rendered Markdown is styled through its container. Heading 1 is sized by the caller.
const markdownStyles = clsx(
  'text-sm leading-relaxed break-words',
  '[&_h1]:mb-3 [&_h1]:font-semibold [&_h1]:tracking-tight',
  '[&_h2]:mt-6 [&_h2]:mb-2 [&_h2]:text-base [&_h2]:font-semibold',
  '[&_h3]:mt-4 [&_h3]:mb-1.5 [&_h3]:font-semibold',
  '[&_h4]:mt-4 [&_h4]:mb-1 [&_h4]:font-medium',
  '[&_p]:my-3',
  '[&_ul]:my-3 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:my-3 [&_ol]:list-decimal [&_ol]:pl-5',
  '[&_li]:my-1 [&_li]:pl-1',
  '[&_blockquote]:my-3 [&_blockquote]:border-l-2 [&_blockquote]:border-border [&_blockquote]:pl-3 [&_blockquote]:text-muted',
  '[&_a]:text-accent-text [&_a]:underline [&_a]:underline-offset-2',
  '[&_code]:rounded [&_code]:bg-surface-2 [&_code]:px-1 [&_code]:font-mono [&_code]:text-[0.9em]',
  '[&_pre]:my-3 [&_pre]:overflow-x-auto [&_pre]:rounded-lg [&_pre]:bg-surface-2 [&_pre]:p-3',
  '[&_hr]:my-6 [&_hr]:border-border',
  '[&>:first-child]:mt-0 [&>:last-child]:mb-0',
);

/**
 * A variant's Markdown shown as formatted text. With `onGrounding`, hovering, focusing or
 * tapping a grounded sentence reports its source spans, through one set of handlers on the
 * container.
 */
export function MarkdownBody({
  markdown,
  grounding,
  onGrounding,
  className,
}: {
  markdown: string;
  grounding: readonly GroundingEntry[];
  onGrounding?: GroundingHandler;
  className?: string;
}) {
  const rendered = useMemo(
    () => renderMarkdown(markdown, onGrounding ? grounding : []),
    [markdown, grounding, onGrounding],
  );
  const spansOf = (span: HTMLElement) =>
    rendered.sourceSpans[Number(span.dataset.sourceSpans)] ?? null;
  const report = (span: HTMLElement) => onGrounding?.(spansOf(span));
  const clear = () => onGrounding?.(null);

  return (
    <div
      className={clsx(markdownStyles, className)}
      dangerouslySetInnerHTML={{ __html: rendered.html }}
      onMouseOver={(e) => {
        const span = groundedSpanAt(e.target);
        if (span) report(span);
      }}
      onMouseOut={(e) => {
        const left = groundedSpanAt(e.target);
        if (left && groundedSpanAt(e.relatedTarget) !== left) clear();
      }}
      onFocus={(e) => {
        const span = groundedSpanAt(e.target);
        if (span) report(span);
      }}
      onBlur={(e) => {
        if (groundedSpanAt(e.target)) clear();
      }}
      onPointerUp={(e) => {
        const span = groundedSpanAt(e.target);
        if (span && e.pointerType === 'touch') onGrounding?.(spansOf(span), 'tap');
      }}
    />
  );
}
