/// <reference types="vitest/config" />
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { port: 3001, strictPort: true },
  preview: { port: 3001, strictPort: true },
  define: {
    __KYROS_RELEASE__: JSON.stringify(
      process.env.VITE_SENTRY_RELEASE || `kyros-console@${pkg.version}`,
    ),
  },
  build: {
    // dist/.vite/manifest.json lists the chunks each page imports: `npm run budget` reads it.
    manifest: true,
    // Source maps make error reports' stack traces readable once uploaded to Sentry (see
    // docs/DEPLOYMENT.md). Hidden: no script names them, and `kyros serve` does not serve them.
    sourcemap: 'hidden',
  },
  test: {
    environment: 'jsdom',
    globals: false,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
});
