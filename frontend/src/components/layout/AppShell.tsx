import { clsx } from 'clsx';
import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import {
  CalendarIcon,
  GearIcon,
  HomeIcon,
  ListIcon,
  LogoutIcon,
  MenuIcon,
  ShieldIcon,
  SparkIcon,
} from '@/components/ui/icons';
import { useAuth } from '@/lib/auth/AuthProvider';
import { useMe } from '@/lib/auth/queries';
import { useReportPublished } from '@/lib/schedules/useReportPublished';
import { Logo } from './Logo';
import { ThemeToggle } from './ThemeToggle';

type NavItem = {
  to: string;
  label: string;
  icon: typeof HomeIcon;
  end: boolean;
  testId?: string;
};

const nav: NavItem[] = [
  { to: '/', label: 'Dashboard', icon: HomeIcon, end: true },
  { to: '/studio', label: 'Studio', icon: SparkIcon, end: false },
  { to: '/jobs', label: 'Jobs', icon: ListIcon, end: false },
  { to: '/scheduler', label: 'Scheduler', icon: CalendarIcon, end: false },
  { to: '/settings', label: 'Settings', icon: GearIcon, end: false },
];

/** Shown to administrators only; the server checks the role again on every admin request. */
const adminNav: NavItem = {
  to: '/admin',
  label: 'Admin',
  icon: ShieldIcon,
  end: false,
  testId: 'admin-nav',
};

function NavItems({ onNavigate }: { onNavigate?: () => void }) {
  const me = useMe();
  const items = me.data?.role === 'admin' ? [...nav, adminNav] : nav;
  return (
    <ul className="flex flex-col gap-1">
      {items.map(({ to, label, icon: Icon, end, testId }) => (
        <li key={to}>
          <NavLink
            to={to}
            end={end}
            onClick={onNavigate}
            data-testid={testId}
            className={({ isActive }) =>
              clsx(
                'flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors',
                isActive
                  ? 'bg-accent-soft text-accent-text'
                  : 'text-muted hover:bg-surface-2 hover:text-fg',
              )
            }
          >
            <Icon />
            {label}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

export function AppShell() {
  const [menuOpen, setMenuOpen] = useState(false);
  const { logout } = useAuth();
  const me = useMe();
  const location = useLocation();
  useReportPublished(me.data?.id);

  useEffect(() => {
    setMenuOpen(false);
  }, [location.pathname]);

  return (
    <div className="min-h-screen lg:grid lg:grid-cols-[15rem_1fr]">
      <a
        href="#main"
        className="sr-only z-50 rounded bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="hidden border-r border-border bg-surface lg:flex lg:flex-col">
        <div className="px-5 py-5">
          <Logo />
        </div>
        <nav aria-label="Main" className="flex-1 px-3">
          <NavItems />
        </nav>
        <p className="px-5 py-4 text-xs text-muted">One article, every channel.</p>
      </aside>

      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-border bg-bg/85 px-4 backdrop-blur sm:px-6">
          <button
            type="button"
            className="inline-flex size-9 items-center justify-center rounded-lg border border-border lg:hidden"
            aria-label={menuOpen ? 'Close menu' : 'Open menu'}
            aria-expanded={menuOpen}
            aria-controls="mobile-nav"
            onClick={() => setMenuOpen((o) => !o)}
            data-testid="menu-button"
          >
            <MenuIcon />
          </button>
          <div className="lg:hidden">
            <Logo />
          </div>
          <div className="ml-auto flex items-center gap-2">
            <span className="hidden text-sm text-muted sm:inline" data-testid="user-email">
              {me.data?.email}
            </span>
            <ThemeToggle />
            <button
              type="button"
              onClick={() => void logout()}
              className="inline-flex h-9 items-center gap-2 rounded-lg border border-border px-3 text-sm text-muted hover:text-fg"
              data-testid="logout"
            >
              <LogoutIcon />
              <span className="hidden sm:inline">Log out</span>
              <span className="sr-only sm:hidden">Log out</span>
            </button>
          </div>
        </header>

        {menuOpen && (
          <nav
            id="mobile-nav"
            aria-label="Main"
            className="border-b border-border bg-surface px-3 py-3 lg:hidden"
          >
            <NavItems onNavigate={() => setMenuOpen(false)} />
          </nav>
        )}

        <main
          id="main"
          className="mx-auto w-full max-w-[1400px] flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8"
        >
          <Outlet />
        </main>
      </div>
    </div>
  );
}
