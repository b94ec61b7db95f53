import { MonitorIcon, MoonIcon, SunIcon } from '@/components/ui/icons';
import { chooseTheme, useTheme, type Theme, type ThemePreference } from './theme';

const ACTIONS: Record<ThemePreference, { label: string; Icon: typeof SunIcon }> = {
  light: { label: 'Switch to light theme', Icon: SunIcon },
  dark: { label: 'Switch to dark theme', Icon: MoonIcon },
  system: { label: 'Use the system setting', Icon: MonitorIcon },
};

/**
 * What a click picks. Following the device, it shows the other theme; from there it picks the
 * device's theme as a choice of its own (kept when the device switches, e.g. at dusk); a
 * choice that matches the device goes back to following it.
 */
function nextPreference(preference: ThemePreference, device: Theme, shown: Theme): ThemePreference {
  if (preference !== 'system' && preference === device) return 'system';
  return shown === 'dark' ? 'light' : 'dark';
}

export function ThemeToggle() {
  const { preference, device, theme } = useTheme();
  const next = nextPreference(preference, device, theme);
  const { label, Icon } = ACTIONS[next];
  return (
    <button
      type="button"
      onClick={() => chooseTheme(next)}
      aria-label={label}
      title={label}
      data-testid="theme-toggle"
      className="inline-flex size-9 items-center justify-center rounded-lg border border-border text-muted hover:text-fg"
    >
      <Icon />
    </button>
  );
}
