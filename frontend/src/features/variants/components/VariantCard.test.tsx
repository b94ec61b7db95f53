import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useJob } from '@/lib/jobs/queries';
import type { LintFinding, Variant } from '@/lib/api/types';
import { metadata } from '@/test/metadata';
import { checksFailed, problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { VariantCard, type VariantScheduling } from './VariantCard';

const JOB_ID = '00000000-0000-0000-0000-000000000002';

function variant(overrides: Partial<Variant>): Variant {
  return {
    id: '00000000-0000-0000-0000-000000000001',
    job_id: JOB_ID,
    channel: 'x',
    content: 'Hello world',
    metadata: metadata({}),
    accepted: false,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    current_version: 1,
    ...overrides,
  };
}

const tooLong: LintFinding = {
  rule: 'x.max_weighted_length',
  severity: 'error',
  message: 'Post 1 is 398 characters; X allows 280.',
};
const fewHashtags: LintFinding = {
  rule: 'linkedin.hashtags',
  severity: 'warning',
  message: 'Use 3 to 5 hashtags.',
};

/**
 * What a page puts on the card for scheduling (the scheduler's own buttons are tested beside
 * them): a button that is described by the reason the card gives, and the post it was given.
 */
const scheduling: VariantScheduling = {
  actions: (post, disabledReasonId) => (
    <button type="button" aria-describedby={disabledReasonId}>
      Schedule {post.channel}
    </button>
  ),
  summary: (post) => <p>Schedules of {post.id}</p>,
};

/** Serves the job with the post `current` returns, so a refetch sees what the API holds now. */
function serveJobOf(current: () => Variant) {
  server.use(
    http.get(`${API}/jobs/${JOB_ID}`, () =>
      HttpResponse.json({
        id: JOB_ID,
        name: 'Spring launch',
        status: 'needs_review',
        source: null,
        channels: ['x'],
        preset_id: null,
        failure_reason: null,
        provider: null,
        provider_note: null,
        cost_estimate: null,
        attempts: 0,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
        variants: [current()],
      }),
    ),
  );
}

/** The card as the Studio shows it, read from its job, so what a mutation changes shows up. */
function CardOfJob() {
  const shown = useJob(JOB_ID).data?.variants[0];
  return shown ? <VariantCard scheduling={scheduling} variant={shown} /> : null;
}

/** Answers PUT /variants/{id} with `reply` and keeps the request bodies it was sent. */
function recordUpdates(reply: (body: Record<string, unknown>) => Response) {
  const bodies: Array<Record<string, unknown>> = [];
  server.use(
    http.put(`${API}/variants/:id`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      return reply(body);
    }),
  );
  return bodies;
}

describe('VariantCard', () => {
  it('lists lint findings from metadata with their severity', () => {
    renderWithProviders(
      <VariantCard
        scheduling={scheduling}
        variant={variant({
          channel: 'linkedin',
          metadata: metadata({
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
        scheduling={scheduling}
        variant={variant({
          channel: 'blog',
          metadata: metadata({
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
    renderWithProviders(
      <VariantCard
        scheduling={scheduling}
        variant={variant({ metadata: metadata({ lint: [] }) })}
      />,
    );
    expect(screen.getByTestId('lint-x')).toHaveTextContent('No style issues found.');
  });

  it('updates the weighted X counter as you type and keeps the draft', async () => {
    const user = userEvent.setup();
    const v = variant({});
    renderWithProviders(<VariantCard scheduling={scheduling} variant={v} />);
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
    renderWithProviders(
      <VariantCard
        scheduling={scheduling}
        variant={variant({ channel: 'linkedin', content: long })}
      />,
    );
    expect(screen.queryByText(long)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '…see more' }));
    expect(screen.getByText(long)).toBeInTheDocument();
  });

  describe('Try another', () => {
    it('adds a version, says so, and keeps the accepted version accepted', async () => {
      let shown = variant({ content: 'First version', accepted: true, accepted_version: 1 });
      serveJobOf(() => shown);
      server.use(
        http.post(`${API}/variants/${shown.id}/regenerate`, () => {
          shown = { ...shown, content: 'Second version', accepted: false, current_version: 2 };
          return HttpResponse.json(shown);
        }),
      );
      const user = userEvent.setup();
      renderWithProviders(<CardOfJob />);
      await user.click(await screen.findByRole('button', { name: 'Try another' }));

      const toast = await screen.findByTestId('toast-success');
      expect(toast).toHaveTextContent('Version 2 of the X post added');
      expect(toast).toHaveTextContent('Version 1 stays accepted; switch back to it any time.');
      const card = screen.getByRole('region', { name: 'X' });
      expect(within(card).getByText('Version 1 accepted')).toBeInTheDocument();
      expect(within(card).getByText('Second version')).toBeInTheDocument();
    });

    it('tells, without an error, that the source gives no other version', async () => {
      const v = variant({});
      const detail =
        'No other alternative: every x draft this source gives is already one of this post’s versions. Edit it, or switch to an earlier version.';
      server.use(
        http.post(`${API}/variants/${v.id}/regenerate`, () =>
          HttpResponse.json(problem(409, detail), { status: 409 }),
        ),
      );
      const user = userEvent.setup();
      renderWithProviders(<VariantCard scheduling={scheduling} variant={v} />);
      await user.click(screen.getByRole('button', { name: 'Try another' }));

      const message = await screen.findByTestId('toast-info');
      expect(message).toHaveTextContent('No other X version to try');
      expect(message).toHaveTextContent(detail);
      expect(screen.queryByTestId('toast-error')).not.toBeInTheDocument();
    });
  });

  describe('versions', () => {
    const texts: Record<number, string> = {
      1: 'Rye & Crumb moved to a four-day week.',
      2: 'Sales went up once the bakery closed on Mondays.',
      3: 'Sales went up once the bakery closed on Mondays!',
    };
    const origins = { 1: 'generated', 2: 'regenerated', 3: 'edited' } as const;
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

    /** Serves a post with three versions, showing the third, the first accepted. */
    function serveThreeVersions() {
      let shown = variant({
        content: texts[3],
        current_version: 3,
        accepted: false,
        accepted_version: 1,
      });
      const restored: number[] = [];
      serveJobOf(() => shown);
      server.use(
        http.get(`${API}/variants/${shown.id}/versions`, () =>
          HttpResponse.json(
            [3, 2, 1].map((number) => ({
              number,
              content: texts[number],
              metadata: metadata(),
              origin: origins[number as 1 | 2 | 3],
              author_id: number === 1 ? null : '00000000-0000-0000-0000-0000000000aa',
              created_at: minutesAgo(20 - number * 5),
              current: number === shown.current_version,
              accepted: number === shown.accepted_version,
            })),
          ),
        ),
        http.post(`${API}/variants/${shown.id}/versions/:number/restore`, ({ params }) => {
          const number = Number(params.number);
          restored.push(number);
          shown = {
            ...shown,
            content: texts[number],
            current_version: number,
            accepted: number === shown.accepted_version,
          };
          return HttpResponse.json(shown);
        }),
      );
      return restored;
    }

    it('lists each version with its origin and badges, and switches back to one', async () => {
      const restored = serveThreeVersions();
      const user = userEvent.setup();
      renderWithProviders(<CardOfJob />);
      const trigger = await screen.findByRole('button', { name: 'Version 3 of the X post' });
      expect(trigger).toHaveAttribute('aria-expanded', 'false');
      await user.click(trigger);
      expect(trigger).toHaveAttribute('aria-expanded', 'true');

      const list = await screen.findByRole('list', { name: 'Versions of the X post' });
      const [third, second, first] = within(list).getAllByRole('listitem');
      expect(third).toHaveTextContent('Version 3Edited by you · 5 min ago');
      expect(within(third).getByText('Showing')).toBeInTheDocument();
      expect(within(third).queryByText('Accepted')).not.toBeInTheDocument();
      expect(within(third).queryByRole('button')).not.toBeInTheDocument();
      expect(second).toHaveTextContent('Version 2Try another · 10 min ago');
      expect(second).toHaveTextContent(texts[2]);
      expect(first).toHaveTextContent('Version 1Generated · 15 min ago');
      expect(within(first).getByText('Accepted')).toBeInTheDocument();
      expect(within(first).queryByText('Showing')).not.toBeInTheDocument();

      const switchToFirst = within(first).getByRole('button', { name: 'Switch to this version' });
      expect(switchToFirst).toHaveAccessibleDescription('Version 1');
      await user.click(switchToFirst);

      const card = screen.getByRole('region', { name: 'X' });
      expect(await within(card).findByText(texts[1])).toBeInTheDocument();
      expect(restored).toEqual([1]);
      expect(await screen.findByText('Showing version 1 of the X post')).toBeInTheDocument();
      expect(screen.getByTestId('accept-x')).toHaveAttribute('aria-pressed', 'true');
      expect(
        screen.queryByRole('list', { name: 'Versions of the X post' }),
      ).not.toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Version 1 of the X post' })).toHaveFocus();
    });

    it('keeps another version from being shown over unsaved edits, and says why', async () => {
      const restored = serveThreeVersions();
      const user = userEvent.setup();
      renderWithProviders(<CardOfJob />);
      await user.click(await screen.findByTestId('edit-x'));
      await user.type(screen.getByTestId('variant-editor-x'), '?');
      await user.click(screen.getByRole('button', { name: 'Version 3 of the X post' }));

      const list = await screen.findByRole('list', { name: 'Versions of the X post' });
      for (const button of within(list).getAllByRole('button', {
        name: 'Switch to this version',
      })) {
        expect(button).toBeDisabled();
      }
      expect(screen.getByText('Save or discard your edits first.')).toBeInTheDocument();
      expect(restored).toEqual([]);
    });

    it('closes the list on Escape and gives focus back to its button', async () => {
      serveThreeVersions();
      const user = userEvent.setup();
      renderWithProviders(<CardOfJob />);
      const trigger = await screen.findByRole('button', { name: 'Version 3 of the X post' });
      await user.click(trigger);
      const list = await screen.findByRole('list', { name: 'Versions of the X post' });
      await user.tab();
      expect(
        within(list).getAllByRole('button', { name: 'Switch to this version' })[0],
      ).toHaveFocus();

      await user.keyboard('{Escape}');
      expect(list).not.toBeInTheDocument();
      expect(trigger).toHaveAttribute('aria-expanded', 'false');
      expect(trigger).toHaveFocus();
    });
  });

  describe('accepting', () => {
    it('keeps Accept out of reach while the post has an error, says why and sends nothing', async () => {
      const bodies = recordUpdates(() => HttpResponse.json(variant({ accepted: true })));
      const user = userEvent.setup();
      renderWithProviders(
        <VariantCard
          scheduling={scheduling}
          variant={variant({ metadata: metadata({ lint: [tooLong] }) })}
        />,
      );

      const accept = screen.getByRole('button', { name: 'Accept' });
      expect(accept).toHaveAttribute('aria-disabled', 'true');
      expect(accept).toHaveAccessibleDescription(
        'Fix 1 error to accept: Post 1 is 398 characters; X allows 280.',
      );
      // Still reachable by keyboard, so the reason can be heard.
      accept.focus();
      expect(accept).toHaveFocus();

      await user.click(accept);
      await user.keyboard('{Enter}');
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
      expect(bodies).toEqual([]);
    });

    it('asks before accepting a post with warnings, and publishes it anyway on request', async () => {
      const v = variant({ channel: 'linkedin', metadata: metadata({ lint: [fewHashtags] }) });
      const bodies = recordUpdates(() => HttpResponse.json({ ...v, accepted: true }));
      const user = userEvent.setup();
      renderWithProviders(<VariantCard scheduling={scheduling} variant={v} />);

      await user.click(screen.getByRole('button', { name: 'Accept' }));
      let dialog = screen.getByRole('dialog', { name: 'Accept the LinkedIn post with 1 warning?' });
      expect(within(dialog).getByRole('listitem')).toHaveTextContent('Use 3 to 5 hashtags.');
      await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
      expect(screen.getByLabelText('Edit LinkedIn post')).toBeInTheDocument();
      expect(bodies).toEqual([]);

      await user.click(screen.getByRole('button', { name: 'Accept' }));
      dialog = screen.getByRole('dialog', { name: 'Accept the LinkedIn post with 1 warning?' });
      await user.click(within(dialog).getByRole('button', { name: 'Publish anyway' }));
      expect(await screen.findByText('LinkedIn post accepted')).toBeInTheDocument();
      expect(bodies).toEqual([{ accepted: true, publish_anyway: true }]);
    });

    it('accepts a post without findings at once', async () => {
      const v = variant({ metadata: metadata({ lint: [] }) });
      const bodies = recordUpdates(() => HttpResponse.json({ ...v, accepted: true }));
      const user = userEvent.setup();
      renderWithProviders(<VariantCard scheduling={scheduling} variant={v} />);
      await user.click(screen.getByRole('button', { name: 'Accept' }));
      expect(await screen.findByText('X post accepted')).toBeInTheDocument();
      expect(bodies).toEqual([{ accepted: true }]);
    });

    it('shows the checks the API refused the post for', async () => {
      recordUpdates(() => HttpResponse.json(checksFailed('accepted', [tooLong]), { status: 422 }));
      const user = userEvent.setup();
      renderWithProviders(
        <VariantCard
          scheduling={scheduling}
          variant={variant({ metadata: metadata({ lint: [] }) })}
        />,
      );
      await user.click(screen.getByRole('button', { name: 'Accept' }));

      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent('Not accepted: the post fails these checks.');
      expect(within(alert).getByRole('listitem')).toHaveTextContent(
        'Post 1 is 398 characters; X allows 280.',
      );
    });

    it('asks for confirmation when the API finds warnings in an edited post', async () => {
      const v = variant({});
      const bodies = recordUpdates((body) =>
        body.publish_anyway
          ? HttpResponse.json({ ...v, content: 'Hello world!', accepted: true })
          : HttpResponse.json(checksFailed('publish_anyway', [fewHashtags]), { status: 422 }),
      );
      const user = userEvent.setup();
      renderWithProviders(<VariantCard scheduling={scheduling} variant={v} />);
      await user.click(screen.getByTestId('edit-x'));
      await user.type(screen.getByTestId('variant-editor-x'), '!');
      await user.click(screen.getByRole('button', { name: 'Accept' }));

      const dialog = await screen.findByRole('dialog', {
        name: 'Accept the X post with 1 warning?',
      });
      await user.click(within(dialog).getByRole('button', { name: 'Publish anyway' }));
      expect(await screen.findByText('X post accepted')).toBeInTheDocument();
      expect(bodies).toEqual([
        { content: 'Hello world!', accepted: true },
        { content: 'Hello world!', accepted: true, publish_anyway: true },
      ]);
    });

    it('says so when a saved edit puts an accepted post back in review', async () => {
      const v = variant({ accepted: true, accepted_version: 1 });
      recordUpdates((body) =>
        HttpResponse.json({
          ...v,
          content: body.content as string,
          accepted: false,
          current_version: 2,
        }),
      );
      const user = userEvent.setup();
      renderWithProviders(<VariantCard scheduling={scheduling} variant={v} />);
      await user.click(screen.getByTestId('edit-x'));
      await user.type(screen.getByTestId('variant-editor-x'), '!');
      await user.click(screen.getByTestId('save-x'));

      expect(await screen.findByText('Saved as version 2: back in review')).toBeInTheDocument();
      expect(screen.queryByText('X post saved')).not.toBeInTheDocument();
    });
  });

  it("hands an accepted post to the page's scheduling, with why it cannot be scheduled", () => {
    renderWithProviders(
      <VariantCard
        scheduling={scheduling}
        variant={variant({ accepted: true, metadata: metadata({ lint: [tooLong] }) })}
      />,
    );
    expect(screen.getByRole('button', { name: 'Schedule x' })).toHaveAccessibleDescription(
      'Fix 1 error to schedule: Post 1 is 398 characters; X allows 280.',
    );
    expect(screen.getByText(`Schedules of ${variant({}).id}`)).toBeInTheDocument();
  });

  it('offers scheduling only once the post is accepted', () => {
    renderWithProviders(<VariantCard scheduling={scheduling} variant={variant({})} />);
    expect(screen.queryByRole('button', { name: 'Schedule x' })).not.toBeInTheDocument();
  });

  it('copies a link to the post that opens its job at its card', async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <VariantCard scheduling={scheduling} variant={variant({ accepted: true })} />,
    );
    await user.click(screen.getByRole('button', { name: 'Copy link to the X post' }));
    expect(await screen.findByText('Link copied')).toBeInTheDocument();
    const link = `${window.location.origin}/jobs/${JOB_ID}#variant-00000000-0000-0000-0000-000000000001`;
    expect(await navigator.clipboard.readText()).toBe(link);
    expect(screen.getByTestId('variant-card-x')).toHaveAttribute(
      'id',
      'variant-00000000-0000-0000-0000-000000000001',
    );
  });
});
