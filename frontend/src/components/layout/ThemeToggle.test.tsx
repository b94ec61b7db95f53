import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ThemeToggle } from './ThemeToggle';
import { followSystemTheme, type Theme } from './theme';

let stopFollowing: (() => void) | null = null;

/** Stands in for the device's light/dark setting (jsdom has no `matchMedia`). */
function deviceTheme(initial: Theme) {
  let light = initial === 'light';
  const listeners = new Set<() => void>();
  const query = {
    get matches() {
      return light;
    },
    addEventListener: (_type: 'change', listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: 'change', listener: () => void) => listeners.delete(listener),
  };
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    value: (media: string) => {
      expect(media).toBe('(prefers-color-scheme: light)');
      return query;
    },
  });
  return {
    switchTo(theme: Theme) {
      light = theme === 'light';
      act(() => listeners.forEach((listener) => listener()));
    },
  };
}

/** What main.tsx does when the page loads. */
function loadPage() {
  stopFollowing?.();
  stopFollowing = followSystemTheme();
  return render(<ThemeToggle />);
}

const shown = () => (document.documentElement.classList.contains('dark') ? 'dark' : 'light');
const toggle = () => screen.getByTestId('theme-toggle');

afterEach(() => {
  stopFollowing?.();
  stopFollowing = null;
  Reflect.deleteProperty(window, 'matchMedia');
  document.documentElement.classList.remove('dark');
});

describe('the theme', () => {
  it('follows the device, live, until the user chooses', () => {
    const device = deviceTheme('light');
    loadPage();
    expect(shown()).toBe('light');
    expect(toggle()).toHaveAccessibleName('Switch to dark theme');

    device.switchTo('dark');
    expect(shown()).toBe('dark');
    expect(toggle()).toHaveAccessibleName('Switch to light theme');
  });

  it('keeps the theme the user chose, across device changes and reloads', async () => {
    const device = deviceTheme('dark');
    const user = userEvent.setup();
    const page = loadPage();
    await user.click(toggle());
    expect(shown()).toBe('light');

    device.switchTo('light');
    device.switchTo('dark');
    expect(shown()).toBe('light');

    page.unmount();
    loadPage();
    expect(shown()).toBe('light');
  });

  it('offers the system setting again once the chosen theme matches the device', async () => {
    const device = deviceTheme('dark');
    const user = userEvent.setup();
    loadPage();
    await user.click(toggle());
    expect(toggle()).toHaveAccessibleName('Switch to dark theme');
    await user.click(toggle());
    expect(shown()).toBe('dark');

    // Chosen, dark now stays when the device turns light…
    device.switchTo('light');
    expect(shown()).toBe('dark');
    expect(toggle()).toHaveAccessibleName('Switch to light theme');
    device.switchTo('dark');
    // …until the user goes back to following the device.
    await user.click(screen.getByRole('button', { name: 'Use the system setting' }));
    device.switchTo('light');
    expect(shown()).toBe('light');
    expect(localStorage.getItem('kyros.theme')).toBeNull();
  });
});
