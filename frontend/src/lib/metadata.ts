import type { GroundingEntry } from './grounding';

export type LintFinding = { rule: string; severity: string; message: string };

/** The typed view of a variant's free-form `metadata` object. Unknown or malformed keys are dropped. */
export type VariantMeta = {
  parts: string[];
  hashtags: string[];
  title: string | null;
  subject: string | null;
  preheader: string | null;
  metaDescription: string | null;
  slug: string | null;
  keyPoints: string[];
  format: string | null;
  /** The Mastodon instance's post length the post was written for. */
  maxChars: number | null;
  lint: LintFinding[];
  grounding: GroundingEntry[];
};

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function isSpan(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

export function parseMeta(metadata: unknown): VariantMeta {
  const m = (typeof metadata === 'object' && metadata !== null ? metadata : {}) as Record<
    string,
    unknown
  >;
  const lint: LintFinding[] = Array.isArray(m.lint)
    ? m.lint.flatMap((l) => {
        if (typeof l !== 'object' || l === null) return [];
        const r = l as Record<string, unknown>;
        const message = str(r.message);
        if (!message) return [];
        return [{ rule: str(r.rule) ?? 'lint', severity: str(r.severity) ?? 'warning', message }];
      })
    : [];
  const grounding: GroundingEntry[] = Array.isArray(m.grounding)
    ? m.grounding.flatMap((g) => {
        if (typeof g !== 'object' || g === null) return [];
        const r = g as Record<string, unknown>;
        const text = str(r.text);
        const spans = Array.isArray(r.spans) ? r.spans.filter(isSpan) : [];
        return text ? [{ text, spans }] : [];
      })
    : [];
  return {
    parts: strings(m.parts),
    hashtags: strings(m.hashtags),
    title: str(m.title),
    subject: str(m.subject),
    preheader: str(m.preheader),
    metaDescription: str(m.meta_description),
    slug: str(m.slug),
    keyPoints: strings(m.key_points),
    format: str(m.format),
    maxChars: typeof m.max_chars === 'number' ? m.max_chars : null,
    lint,
    grounding,
  };
}
