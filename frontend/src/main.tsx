import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { followSystemTheme } from './components/layout/theme';
import { startErrorReports } from './lib/errorReports';
import './index.css';

followSystemTheme();

const SENTRY_DSN = import.meta.env.VITE_SENTRY_DSN as string | undefined;
if (SENTRY_DSN) startErrorReports(SENTRY_DSN, () => import('./lib/sentry'));

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
