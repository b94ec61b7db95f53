import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { usePageTitle } from './usePageTitle';

describe('usePageTitle', () => {
  it('names the page, then the app', () => {
    renderHook(() => usePageTitle('Studio'));
    expect(document.title).toBe('Studio · Kyros');
  });

  it('leaves out a section that is not known yet and adds it once it is', () => {
    const { rerender } = renderHook(({ name }) => usePageTitle(name, 'Jobs'), {
      initialProps: { name: undefined as string | undefined },
    });
    expect(document.title).toBe('Jobs · Kyros');

    rerender({ name: 'Four-day week' });
    expect(document.title).toBe('Four-day week · Jobs · Kyros');
  });
});
