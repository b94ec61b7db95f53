import type { VariantMetadata } from '@/lib/api/types';

/** A variant's metadata as the API serves it: a LinkedIn post's, with no findings. */
export function metadata(overrides: Partial<VariantMetadata> = {}): VariantMetadata {
  return {
    counts: { chars: 0, limit: 3000, hook_chars: 0, hook_limit: 210 },
    engine: { name: 'local', version: '2026-12-08.1', seed: 0, language: 'en' },
    grounding: [],
    hashtags: [],
    lint: [],
    ...overrides,
  };
}
