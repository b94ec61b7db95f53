import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Variant } from '@/lib/api/types';
import { renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { VariantCard } from './VariantCard';

const meta = (value: unknown) => value as Variant['metadata'];

function variant(overrides: Partial<Variant>): Variant {
  return {
    id: '00000000-0000-0000-0000-000000000001',
    job_id: '00000000-0000-0000-0000-000000000002',
    channel: 'x',
    content: 'Hello world',
    metadata: meta({}),
    accepted: false,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    current_version: 1,
    ...overrides,
  };
}

describe('VariantCard', () => {
  it('lists lint findings from metadata with their severity', () => {
    renderWithProviders(
      <VariantCard
        variant={variant({
          channel: 'linkedin',
          metadata: meta({
            lint: [
              { rule: 'hashtags.count', severity: 'warning', message: 'Use 3 to 5 hashtags.' },
              { rule: 'length.max', severity: 'error', message: 'The post is too long.' },
            ],
          }),
        })}
      />,
    );
    const list = screen.getByTestId('lint-linkedin');
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('warning');
    expect(items[0]).toHaveTextContent('Use 3 to 5 hashtags. (hashtags.count)');
    expect(items[1]).toHaveTextContent('error');
  });

  it('names the quality checks in plain words and keeps the rule id at hand', () => {
    renderWithProviders(
      <VariantCard
        variant={variant({
          channel: 'blog',
          metadata: meta({
            lint: [
              {
                rule: 'quality.unresolved_opener',
                severity: 'warning',
                message:
                  '"It doubled in a year." opens with a word that points back to something the reader has not seen; name it.',
              },
            ],
          }),
        })}
      />,
    );
    const item = within(screen.getByTestId('lint-blog')).getByRole('listitem');
    expect(item).toHaveTextContent('points back to something the reader has not seen');
    expect(item).toHaveTextContent('(points back to nothing)');
    expect(within(item).getByTitle('quality.unresolved_opener')).toBeInTheDocument();
  });

  it('says so when there are no findings', () => {
    renderWithProviders(<VariantCard variant={variant({ metadata: meta({ lint: [] }) })} />);
    expect(screen.getByTestId('lint-x')).toHaveTextContent('No style issues found.');
  });

  it('updates the weighted X counter as you type and keeps the draft', async () => {
    const user = userEvent.setup();
    const v = variant({});
    renderWithProviders(<VariantCard variant={v} />);
    const counter = screen.getByTestId('counter-x');
    expect(counter).toHaveTextContent('11/280');

    await user.click(screen.getByTestId('edit-x'));
    const editor = screen.getByTestId('variant-editor-x');
    await user.type(editor, ' 日本');
    expect(counter).toHaveTextContent('16/280');
    expect(localStorage.getItem(`kyros.draft.variant.${v.id}`)).toBe(
      JSON.stringify('Hello world 日本'),
    );
  });

  it('folds a LinkedIn post after 210 characters behind “see more”', async () => {
    const user = userEvent.setup();
    const long = `${'a'.repeat(205)} ${'b'.repeat(50)}`;
    renderWithProviders(<VariantCard variant={variant({ channel: 'linkedin', content: long })} />);
    expect(screen.queryByText(long)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '…see more' }));
    expect(screen.getByText(long)).toBeInTheDocument();
  });

  it('asks the API for another version and confirms it', async () => {
    const original = variant({ content: 'First version of the post', accepted: true });
    let calls = 0;
    server.use(
      http.post(`${API}/variants/${original.id}/regenerate`, () => {
        calls += 1;
        return HttpResponse.json({
          ...original,
          content: 'Second version of the post',
          accepted: false,
        });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<VariantCard variant={original} />);
    await user.click(screen.getByRole('button', { name: 'Try another' }));
    expect(await screen.findByText('A new X version is ready')).toBeInTheDocument();
    expect(calls).toBe(1);
  });
});
