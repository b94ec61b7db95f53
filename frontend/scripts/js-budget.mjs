// First-load JavaScript per console route, read from Vite's build manifest (`npm run build`
// writes dist/.vite/manifest.json). A route loads the entry chunk, its own chunks and every chunk
// those import statically, which Vite's preload helper fetches together; the sizes are summed
// over that set, raw and gzip (zlib's default level). Exits non-zero when a route's gzip total is
// over its budget, or when a module listed here is missing from the build.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const DIST = new URL('../dist/', import.meta.url);
const ENTRY = 'index.html';

// Gzip budgets in kB, about 12 % above the sizes measured when the routes were split (see
// docs/PERFORMANCE.md): room for ordinary growth, not for a library landing in the wrong chunk.
const ROUTES = [
  { name: 'login', path: '/login', modules: [], budgetKb: 110 },
  {
    name: 'dashboard',
    path: '/',
    // The charts follow as soon as the figures arrive, whenever there are jobs to chart.
    modules: [
      'src/features/dashboard/DashboardPage.tsx',
      'src/features/dashboard/components/KpiCharts.tsx',
    ],
    budgetKb: 255,
  },
  {
    name: 'studio',
    path: '/studio',
    modules: ['src/features/studio/StudioPage.tsx'],
    budgetKb: 210,
  },
  { name: 'jobs', path: '/jobs', modules: ['src/features/jobs/JobsPage.tsx'], budgetKb: 115 },
  {
    name: 'job detail',
    path: '/jobs/:id',
    modules: ['src/features/jobs/JobDetailPage.tsx'],
    budgetKb: 205,
  },
  {
    name: 'scheduler',
    path: '/scheduler',
    modules: ['src/features/scheduler/SchedulerPage.tsx'],
    budgetKb: 135,
  },
  {
    name: 'settings',
    path: '/settings',
    modules: ['src/features/settings/SettingsPage.tsx'],
    budgetKb: 120,
  },
  {
    name: 'connection callback',
    path: '/connections/callback',
    modules: ['src/features/connections/CallbackPage.tsx'],
    budgetKb: 115,
  },
  {
    name: 'admin',
    // `/admin` opens on its users section.
    path: '/admin/users',
    modules: ['src/features/admin/AdminPage.tsx', 'src/features/admin/UsersPanel.tsx'],
    budgetKb: 118,
  },
];

function readManifest() {
  try {
    return JSON.parse(readFileSync(new URL('.vite/manifest.json', DIST), 'utf8'));
  } catch {
    console.error('budget: dist/.vite/manifest.json is missing; run `npm run build` first.');
    process.exit(1);
  }
}

/** The output files of `keys` and of every chunk they import statically, transitively. */
function firstLoadFiles(manifest, keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    seen.add(key);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return [...seen].map((key) => manifest[key].file);
}

const sizeCache = new Map();
function sizeOf(file) {
  if (!sizeCache.has(file)) {
    const bytes = readFileSync(new URL(file, DIST));
    sizeCache.set(file, { raw: bytes.length, gzip: gzipSync(bytes).length });
  }
  return sizeCache.get(file);
}

const kb = (bytes) => (bytes / 1000).toFixed(1);

const manifest = readManifest();
const rows = ROUTES.map(({ name, path, modules, budgetKb }) => {
  let files;
  try {
    files = firstLoadFiles(manifest, [ENTRY, ...modules]);
  } catch (error) {
    console.error(`budget: ${name}: ${error.message}; update scripts/js-budget.mjs.`);
    process.exit(1);
  }
  const raw = files.reduce((sum, file) => sum + sizeOf(file).raw, 0);
  const gzip = files.reduce((sum, file) => sum + sizeOf(file).gzip, 0);
  return { name, path, chunks: files.length, raw, gzip, budgetKb, over: gzip > budgetKb * 1000 };
});

const header = ['route', 'path', 'chunks', 'raw kB', 'gzip kB', 'budget kB', ''];
const table = [
  header,
  ...rows.map((r) => [
    r.name,
    r.path,
    String(r.chunks),
    kb(r.raw),
    kb(r.gzip),
    String(r.budgetKb),
    r.over ? 'OVER' : 'ok',
  ]),
];
const widths = header.map((_, i) => Math.max(...table.map((cells) => cells[i].length)));
// Names left-aligned, figures right-aligned.
const line = (cells) =>
  cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
console.log("First-load JavaScript per route (the entry, the route's chunks and their imports)");
table.forEach((cells) => console.log(line(cells).trimEnd()));

const over = rows.filter((r) => r.over).map((r) => r.name);
if (over.length > 0) {
  console.error(`budget: over budget: ${over.join(', ')}. See docs/PERFORMANCE.md.`);
  process.exit(1);
}
