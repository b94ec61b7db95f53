// Regenerates the OpenAPI document and TypeScript types into a temporary directory and
// fails when the committed copies in src/lib/api/ differ.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'kyros-codegen-'));
try {
  const doc = execFileSync(
    'cargo',
    ['run', '--quiet', '--manifest-path', '../backend/Cargo.toml', '-p', 'kyros', '--', 'openapi'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  const docPath = join(dir, 'openapi.json');
  const typesPath = join(dir, 'schema.d.ts');
  writeFileSync(docPath, doc);
  execFileSync('npx', ['openapi-typescript', docPath, '-o', typesPath], { stdio: 'ignore' });

  const stale = [
    ['src/lib/api/openapi.json', docPath],
    ['src/lib/api/schema.d.ts', typesPath],
  ].filter(([committed, fresh]) => {
    let current = '';
    try {
      current = readFileSync(committed, 'utf8');
    } catch {
      return true;
    }
    return current !== readFileSync(fresh, 'utf8');
  });

  if (stale.length > 0) {
    console.error(
      `codegen:check: generated API files are out of date: ${stale.map(([f]) => f).join(', ')}\n` +
        'Run `npm run codegen` in frontend/ and commit the result.',
    );
    process.exit(1);
  }
  console.log('codegen:check: src/lib/api/openapi.json and schema.d.ts are up to date.');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
