import { useSyncExternalStore } from 'react';
import { storageKeys } from '@/lib/storage';

export type Theme = 'dark' | 'light';

/** The theme toggle's setting: a theme the user chose, or `system` to follow the device. */
export type ThemePreference = Theme | 'system';

const LIGHT_QUERY = '(prefers-color-scheme: light)';

const themeListeners = new Set<() => void>();

/** Only a theme the user chose is stored; nothing stored means follow the device. */
function storedPreference(): ThemePreference {
  try {
    const saved = localStorage.getItem(storageKeys.theme);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  } catch {
    return 'system';
  }
}

function lightQuery(): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(LIGHT_QUERY) : null;
}

/** The device's setting. The console is dark-first, so only an explicit light setting wins. */
function systemTheme(): Theme {
  return lightQuery()?.matches ? 'light' : 'dark';
}

/** The theme shown: the user's choice, else the device's. */
function shownTheme(): Theme {
  const preference = storedPreference();
  return preference === 'system' ? systemTheme() : preference;
}

function applyShownTheme(): void {
  document.documentElement.classList.toggle('dark', shownTheme() === 'dark');
  for (const listener of themeListeners) listener();
}

/** Remembers the user's choice (forgets it for `system`) and shows it at once. */
export function chooseTheme(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(storageKeys.theme);
    else localStorage.setItem(storageKeys.theme, preference);
  } catch {
    // Storage unavailable (blocked by the browser): there is nowhere to keep a choice.
  }
  applyShownTheme();
}

/**
 * Shows the theme now and again whenever the device switches between light and dark, which
 * matters while the user has not chosen one. Call once at start-up; returns the unsubscribe.
 */
export function followSystemTheme(): () => void {
  applyShownTheme();
  const query = lightQuery();
  query?.addEventListener('change', applyShownTheme);
  return () => query?.removeEventListener('change', applyShownTheme);
}

function subscribe(listener: () => void): () => void {
  themeListeners.add(listener);
  return () => themeListeners.delete(listener);
}

/** The toggle's setting, the device's theme and the one shown, kept current as they change. */
export function useTheme(): { preference: ThemePreference; device: Theme; theme: Theme } {
  const preference = useSyncExternalStore(subscribe, storedPreference);
  const device = useSyncExternalStore(subscribe, systemTheme);
  return { preference, device, theme: preference === 'system' ? device : preference };
}
