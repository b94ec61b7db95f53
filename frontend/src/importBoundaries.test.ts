import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints snippets as if they were files at the given paths, with the project's ESLint config (the
// tests run from the console's folder, where ESLint finds it). The first lint loads the parser
// and the plugins, which takes seconds on a busy machine.
const eslint = new ESLint();

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const shown = [x];\n`, { filePath });
  return result.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('import boundaries', { timeout: 30_000 }, () => {
  it('keeps a feature from importing another feature, by alias or relative path', async () => {
    expect(
      await boundaryErrors(
        'src/features/studio/components/Probe.tsx',
        "import { x } from '@/features/scheduler/queries';",
      ),
    ).toEqual([expect.stringContaining('not another feature')]);
    expect(
      await boundaryErrors(
        'src/features/studio/components/Probe.tsx',
        "import { x } from '../../scheduler/queries';",
      ),
    ).toHaveLength(1);
  });

  it('lets a feature import its own files and the shared code', async () => {
    expect(
      await boundaryErrors(
        'src/features/studio/components/Probe.tsx',
        "import { x } from '@/features/studio/uploads';\nimport { y as x2 } from '../uploads';\nimport { z } from '@/lib/jobs/queries';",
      ),
    ).toEqual([]);
  });

  it('lets only the listed pages compose the variant workspace', async () => {
    const code = "import { x } from '@/features/variants/components/VariantWorkspace';";
    expect(await boundaryErrors('src/features/studio/StudioPage.tsx', code)).toEqual([]);
    expect(await boundaryErrors('src/features/jobs/JobsPage.tsx', code)).toHaveLength(1);
  });

  it('keeps shared components and lib code from importing any feature', async () => {
    expect(
      await boundaryErrors('src/lib/Probe.ts', "import { x } from '@/features/jobs/JobsPage';"),
    ).toHaveLength(1);
    expect(
      await boundaryErrors(
        'src/components/ui/Probe.tsx',
        "import { x } from '../../features/jobs/JobsPage';",
      ),
    ).toHaveLength(1);
  });
});
