import { storageKeys } from '@/lib/storage';

export type Theme = 'dark' | 'light';

export function storedTheme(): Theme {
  try {
    return localStorage.getItem(storageKeys.theme) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.classList.toggle('dark', theme === 'dark');
  try {
    localStorage.setItem(storageKeys.theme, theme);
  } catch {
    // ignore
  }
}
