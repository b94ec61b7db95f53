/** Small JSON helpers over localStorage that never throw (private mode, quota, bad JSON). */
export function loadJSON<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

export function saveJSON(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or unavailable: drafts are a convenience, not a requirement.
  }
}

export function removeKey(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // ignore
  }
}

export const storageKeys = {
  studioForm: 'kyros.studio.form',
  variantDraft: (variantId: string) => `kyros.draft.variant.${variantId}`,
  theme: 'kyros.theme',
  calendarFeed: (userId: string) => `kyros.calendar-feed.${userId}`,
  /** The connected account a network's previews were last shown under. */
  previewAccount: (network: string) => `kyros.preview-account.${network}`,
  /** Product analytics switched off in this browser (Settings). */
  analyticsOptOut: 'kyros.analytics.opt-out',
  /** The published posts this browser has reported to analytics for an account. */
  publishedReported: (userId: string) => `kyros.analytics.published.${userId}`,
};
