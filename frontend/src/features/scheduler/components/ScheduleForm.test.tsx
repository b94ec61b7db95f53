import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { JobDetail, LintFinding, Schedule, Variant } from '@/lib/api/types';
import { connection, serveConnections } from '@/test/connections';
import { metadata } from '@/test/metadata';
import { checksFailed, problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { ScheduleDialog } from './ScheduleDialog';

const VARIANT = { id: '00000000-0000-0000-0000-0000000000aa', channel: 'linkedin' };

function saved(body: Partial<Schedule>): Schedule {
  return {
    id: '00000000-0000-0000-0000-0000000000bb',
    variant_id: VARIANT.id,
    channel: 'linkedin',
    first_line: 'A post about the quarter',
    connector: 'file',
    run_at: '2030-01-07T08:00:00Z',
    timezone: 'Europe/Berlin',
    recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    exdates: [],
    status: 'active',
    next_run_at: '2030-01-07T08:00:00Z',
    last_run_at: null,
    upcoming: [],
    created_at: '2026-12-01T00:00:00Z',
    updated_at: '2026-12-01T00:00:00Z',
    ...body,
  };
}

function noWebhook() {
  return http.get(`${API}/connectors/webhook`, () =>
    HttpResponse.json(problem(404, 'No webhook is set up.'), { status: 404 }),
  );
}

function setValue(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function setDate(value: string) {
  fireEvent.change(screen.getByTestId('schedule-date'), { target: { value } });
}

async function fillMondayMorning(user: ReturnType<typeof userEvent.setup>) {
  setDate('2030-01-07');
  setValue('Time', '09:00');
  await user.clear(screen.getByLabelText('Time zone'));
  await user.type(screen.getByLabelText('Time zone'), 'Europe/Berlin');
}

describe('the schedule dialog', () => {
  it('turns a weekly rule into a summary, a preview and the request the API expects', async () => {
    let body: unknown;
    server.use(
      noWebhook(),
      http.post(`${API}/schedule`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(saved({}), { status: 201 });
      }),
    );
    const user = userEvent.setup();
    let closed = false;
    renderWithProviders(
      <ScheduleDialog
        variant={VARIANT}
        onClose={() => {
          closed = true;
        }}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Schedule LinkedIn post' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');

    await fillMondayMorning(user);
    await user.click(within(dialog).getByRole('radio', { name: 'Weekly' }));
    // Switching to weekly picked the start date's weekday.
    expect(screen.getByRole('checkbox', { name: 'Monday' })).toBeChecked();
    expect(screen.getByTestId('recurrence-summary')).toHaveTextContent(
      'Every Monday at 09:00 Europe/Berlin',
    );
    expect(within(screen.getByTestId('occurrence-preview')).getAllByRole('listitem')).toHaveLength(
      5,
    );

    await user.click(screen.getByRole('checkbox', { name: 'Thursday' }));
    await user.clear(screen.getByTestId('repeat-interval'));
    await user.type(screen.getByTestId('repeat-interval'), '2');
    await user.click(screen.getByTestId('end-count'));
    expect(screen.getByTestId('recurrence-summary')).toHaveTextContent(
      'Every 2 weeks on Monday and Thursday at 09:00 Europe/Berlin, 10 times',
    );

    await user.click(screen.getByTestId('schedule-save'));
    await waitFor(() => expect(closed).toBe(true));
    expect(body).toEqual({
      variant_id: VARIANT.id,
      run_at: '2030-01-07T09:00',
      timezone: 'Europe/Berlin',
      recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=10',
      connector: 'file',
    });
    expect(await screen.findByText('LinkedIn post scheduled')).toBeInTheDocument();
  });

  it('checks the form before sending anything', async () => {
    let calls = 0;
    server.use(
      noWebhook(),
      http.post(`${API}/schedule`, () => {
        calls += 1;
        return HttpResponse.json(saved({}), { status: 201 });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<ScheduleDialog variant={VARIANT} onClose={() => {}} />);

    setDate('2020-01-06');
    await user.clear(screen.getByLabelText('Time zone'));
    await user.type(screen.getByLabelText('Time zone'), 'Mars/Olympus');
    await user.click(screen.getByTestId('schedule-save'));
    expect(screen.getByLabelText('Time zone')).toHaveAccessibleDescription(
      'Use an IANA time zone such as Europe/Berlin.',
    );

    await user.clear(screen.getByLabelText('Time zone'));
    await user.type(screen.getByLabelText('Time zone'), 'Europe/Berlin');
    await user.click(screen.getByTestId('schedule-save'));
    expect(screen.getByLabelText('Date')).toHaveAccessibleDescription('Pick a time in the future.');

    setDate('2030-03-31');
    setValue('Time', '02:30');
    await user.click(screen.getByTestId('schedule-save'));
    expect(screen.getByLabelText('Date')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Date')).toHaveAccessibleDescription(
      '02:30 does not exist in Europe/Berlin that day: the clocks skip it. Pick another time.',
    );

    setValue('Time', '09:00');
    await user.click(screen.getByRole('radio', { name: 'Weekly' }));
    await user.click(screen.getByRole('checkbox', { name: 'Sunday' }));
    await user.click(screen.getByTestId('schedule-save'));
    expect(screen.getByText('Pick at least one day of the week.')).toBeInTheDocument();
    expect(calls).toBe(0);
  });

  it('keeps the chosen weekdays through another repeat mode and back to weekly', async () => {
    server.use(noWebhook());
    const user = userEvent.setup();
    renderWithProviders(<ScheduleDialog variant={VARIANT} onClose={() => {}} />);
    setDate('2030-01-07');
    await user.click(screen.getByRole('radio', { name: 'Weekly' }));
    await user.click(screen.getByRole('checkbox', { name: 'Wednesday' }));
    await user.click(screen.getByRole('checkbox', { name: 'Friday' }));

    for (const detour of ['Once', 'Custom', 'Daily', 'Monthly']) {
      await user.click(screen.getByRole('radio', { name: detour }));
      await user.click(screen.getByRole('radio', { name: 'Weekly' }));
      const checked = screen
        .getAllByRole('checkbox')
        .filter((box) => (box as HTMLInputElement).checked)
        .map((box) => box.getAttribute('data-testid'));
      expect(checked, `after ${detour}`).toEqual(['weekday-MO', 'weekday-WE', 'weekday-FR']);
    }
  });

  it('shows the API’s field errors at their fields', async () => {
    server.use(
      noWebhook(),
      http.post(`${API}/schedule`, () =>
        HttpResponse.json(
          problem(422, 'Your request has invalid fields.', [
            { field: 'run_at', message: 'is in the past' },
            { field: 'timezone', message: '`Europe/Berlin` is not an IANA time zone' },
            { field: 'recurrence', message: '`BYSETPOS` is not supported' },
          ]),
          { status: 422 },
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<ScheduleDialog variant={VARIANT} onClose={() => {}} />);
    await fillMondayMorning(user);
    await user.click(screen.getByRole('radio', { name: 'Weekly' }));
    await user.click(screen.getByTestId('schedule-save'));

    expect(await screen.findByText('is in the past')).toBeInTheDocument();
    expect(screen.getByLabelText('Starts on')).toHaveAccessibleDescription('is in the past');
    expect(screen.getByLabelText('Time zone')).toHaveAccessibleDescription(
      '`Europe/Berlin` is not an IANA time zone',
    );
    expect(screen.getByRole('group', { name: 'Repeats' })).toHaveAccessibleDescription(
      '`BYSETPOS` is not supported',
    );
    // Editing a field clears its error.
    setValue('Time', '10:00');
    expect(screen.queryByText('is in the past')).not.toBeInTheDocument();
  });

  it('moves focus to the first control it asks about', async () => {
    server.use(noWebhook());
    const user = userEvent.setup();
    renderWithProviders(<ScheduleDialog variant={VARIANT} onClose={() => {}} />);
    await fillMondayMorning(user);
    await user.click(screen.getByRole('radio', { name: 'Weekly' }));
    await user.click(screen.getByRole('checkbox', { name: 'Monday' }));
    await user.click(screen.getByTestId('schedule-save'));
    expect(screen.getByRole('checkbox', { name: 'Monday' })).toHaveFocus();

    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    await user.click(screen.getByTestId('schedule-save'));
    expect(screen.getByLabelText('RRULE')).toHaveFocus();
    expect(screen.getByLabelText('RRULE')).toHaveAccessibleDescription(
      'Write a rule such as FREQ=WEEKLY;BYDAY=MO.',
    );
  });

  it('moves focus to the first control the API refused', async () => {
    server.use(
      noWebhook(),
      http.post(`${API}/schedule`, () =>
        HttpResponse.json(
          problem(422, 'Your request has invalid fields.', [
            { field: 'timezone', message: '`Europe/Berlin` is not an IANA time zone' },
            { field: 'connector', message: 'no webhook is set up' },
          ]),
          { status: 422 },
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<ScheduleDialog variant={VARIANT} onClose={() => {}} />);
    await fillMondayMorning(user);
    await user.click(screen.getByTestId('schedule-save'));
    await waitFor(() => expect(screen.getByLabelText('Time zone')).toHaveFocus());
  });

  it('says why a custom rule was refused in plain words, with the parser’s on demand', async () => {
    const raw = 'is not a valid recurrence rule: `FREQ=SOMETIMES` is not a frequency';
    server.use(
      noWebhook(),
      http.post(`${API}/schedule`, () =>
        HttpResponse.json(
          problem(422, 'Your request has invalid fields.', [{ field: 'recurrence', message: raw }]),
          { status: 422 },
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<ScheduleDialog variant={VARIANT} onClose={() => {}} />);
    await fillMondayMorning(user);
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    await user.type(screen.getByLabelText('RRULE'), 'FREQ=SOMETIMES');
    await user.click(screen.getByTestId('schedule-save'));

    const rule = screen.getByLabelText('RRULE');
    await waitFor(() =>
      expect(rule).toHaveAccessibleDescription(
        "This repeat rule isn't valid. Try the options above, or a rule like FREQ=WEEKLY;BYDAY=MO.",
      ),
    );
    expect(rule).toHaveFocus();
    const details = screen.getByText('Details').closest('details') as HTMLElement;
    await user.click(within(details).getByText('Details'));
    expect(within(details).getByText(raw)).toBeVisible();
  });

  it('offers the webhook only once one is set up', async () => {
    server.use(noWebhook());
    renderWithProviders(<ScheduleDialog variant={VARIANT} onClose={() => {}} />);
    const connector = screen.getByLabelText('Publish through');
    await waitFor(() =>
      expect(within(connector).getByRole('option', { name: 'Webhook' })).toBeDisabled(),
    );
    await waitFor(() =>
      expect(connector).toHaveAccessibleDescription(
        'Webhook needs a URL first: set one up in Settings. No LinkedIn account is connected yet: connect one in Settings.',
      ),
    );
    expect(screen.getByRole('link', { name: 'set one up in Settings' })).toHaveAttribute(
      'href',
      '/settings#webhook',
    );
  });

  it('closes on Escape and keeps Tab inside the dialog', async () => {
    server.use(noWebhook());
    const user = userEvent.setup();
    let closed = 0;
    renderWithProviders(
      <ScheduleDialog
        variant={VARIANT}
        onClose={() => {
          closed += 1;
        }}
      />,
    );
    expect(screen.getByTestId('schedule-date')).toHaveFocus();
    screen.getByRole('button', { name: 'Close' }).focus();
    await user.tab({ shift: true });
    expect(screen.getByTestId('schedule-save')).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(closed).toBe(1);
  });

  describe('a post that fails its checks', () => {
    const tooLong: LintFinding = {
      rule: 'linkedin.max_length',
      severity: 'error',
      message: 'The post is 3,214 characters; LinkedIn allows 3,000.',
    };

    function post(overrides: Partial<Variant>): Variant {
      return {
        id: VARIANT.id,
        job_id: 'job-1',
        channel: 'linkedin',
        content: 'A post about the quarter',
        metadata: metadata(),
        accepted: true,
        created_at: '2026-12-01T00:00:00Z',
        updated_at: '2026-12-01T00:00:00Z',
        current_version: 1,
        ...overrides,
      };
    }

    const job: JobDetail = {
      id: 'job-1',
      name: 'Quarterly recap',
      status: 'needs_review',
      channels: ['linkedin', 'x'],
      attempts: 1,
      created_at: '2026-12-01T00:00:00Z',
      updated_at: '2026-12-01T00:00:00Z',
      variants: [
        post({ metadata: metadata({ lint: [tooLong] }) }),
        post({ id: '00000000-0000-0000-0000-0000000000cc', channel: 'x', content: 'A thread' }),
      ],
    };

    it('cannot be picked, and the picker says why', async () => {
      server.use(
        noWebhook(),
        http.get(`${API}/jobs`, () => HttpResponse.json({ items: [job], next_cursor: null })),
        http.get(`${API}/jobs/job-1`, () => HttpResponse.json(job)),
      );
      const user = userEvent.setup();
      renderWithProviders(<ScheduleDialog onClose={() => {}} />);
      await user.selectOptions(await screen.findByLabelText('Article'), 'job-1');

      const picker = screen.getByLabelText('Post');
      const linkedin = await within(picker).findByRole('option', { name: /^LinkedIn/ });
      expect(linkedin).toBeDisabled();
      expect(linkedin).toHaveTextContent('(fix its errors first)');
      expect(within(picker).getByRole('option', { name: /^X/ })).toBeEnabled();
      expect(picker).toHaveAccessibleDescription(
        'LinkedIn: Fix 1 error to schedule: The post is 3,214 characters; LinkedIn allows 3,000.',
      );
    });

    it('shows the checks the API refused to schedule it for', async () => {
      server.use(
        noWebhook(),
        http.post(`${API}/schedule`, () =>
          HttpResponse.json(checksFailed('variant_id', [tooLong]), { status: 422 }),
        ),
      );
      const user = userEvent.setup();
      renderWithProviders(<ScheduleDialog variant={VARIANT} onClose={() => {}} />);
      await fillMondayMorning(user);
      await user.click(screen.getByTestId('schedule-save'));

      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent('Not scheduled: the post fails these checks.');
      expect(within(alert).getByRole('listitem')).toHaveTextContent(
        'The post is 3,214 characters; LinkedIn allows 3,000.',
      );
    });
  });

  describe('publishing to a connected account', () => {
    const X_POST = { id: VARIANT.id, channel: 'x' };
    const KYROS = connection();
    const EXPIRED = connection({
      id: '0193a000-0000-7000-8000-0000000c0002',
      handle: '@kyros_news',
      display_name: 'Kyros News',
      status: 'needs_reconnect',
      status_reason: 'X revoked the token',
    });
    const LINKEDIN = connection({
      id: '0193a000-0000-7000-8000-0000000c0003',
      network: 'linkedin',
      handle: 'Kyros Ltd',
      display_name: 'Kyros Ltd',
    });

    it('offers the accounts of the post’s network and sends the one picked', async () => {
      serveConnections([KYROS, EXPIRED, LINKEDIN]);
      let body: unknown;
      server.use(
        noWebhook(),
        http.post(`${API}/schedule`, async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(
            saved({ channel: 'x', connector: 'account', connection_id: KYROS.id }),
            { status: 201 },
          );
        }),
      );
      const user = userEvent.setup();
      renderWithProviders(<ScheduleDialog variant={X_POST} onClose={() => {}} />);
      await fillMondayMorning(user);

      const connector = screen.getByLabelText('Publish through');
      const accounts = await within(connector).findByRole('group', {
        name: 'Publish to a connected account',
      });
      const options = within(accounts).getAllByRole('option');
      expect(options.map((o) => o.textContent)).toEqual([
        '@kyros on X',
        '@kyros_news on X (Reconnect first)',
      ]);
      expect(options[1]).toBeDisabled();
      // A LinkedIn account cannot publish an X post.
      expect(within(connector).queryByRole('option', { name: /Kyros Ltd/ })).toBeNull();

      await user.selectOptions(connector, '@kyros on X');
      expect(connector).toHaveAccessibleDescription('Each post is published to @kyros on X.');
      await user.click(screen.getByTestId('schedule-save'));
      await waitFor(() => expect(body).toBeDefined());
      expect(body).toEqual({
        variant_id: VARIANT.id,
        run_at: '2030-01-07T09:00',
        timezone: 'Europe/Berlin',
        recurrence: null,
        connection_id: KYROS.id,
      });
    });

    it('links to Settings → Connections when no account can take the post', async () => {
      serveConnections([LINKEDIN]);
      server.use(noWebhook());
      renderWithProviders(<ScheduleDialog variant={X_POST} onClose={() => {}} />);
      const link = await screen.findByRole('link', { name: 'connect one in Settings' });
      expect(link).toHaveAttribute('href', '/settings#connections');
      expect(screen.getByLabelText('Publish through')).toHaveAccessibleDescription(
        'Webhook needs a URL first: set one up in Settings. No X account is connected yet: connect one in Settings.',
      );
      expect(
        within(screen.getByLabelText('Publish through')).queryByRole('group', {
          name: 'Publish to a connected account',
        }),
      ).toBeNull();
    });

    it('drops the account when another channel’s post is picked', async () => {
      const job: JobDetail = {
        id: 'job-1',
        name: 'Quarterly recap',
        status: 'needs_review',
        channels: ['linkedin', 'x'],
        attempts: 1,
        created_at: '2026-12-01T00:00:00Z',
        updated_at: '2026-12-01T00:00:00Z',
        variants: (['x', 'linkedin'] as const).map((channel, i) => ({
          id: `00000000-0000-0000-0000-00000000001${i}`,
          job_id: 'job-1',
          channel,
          content: `A ${channel} post`,
          metadata: metadata(),
          accepted: true,
          created_at: '2026-12-01T00:00:00Z',
          updated_at: '2026-12-01T00:00:00Z',
          current_version: 1,
        })),
      };
      serveConnections([KYROS, LINKEDIN]);
      server.use(
        noWebhook(),
        http.get(`${API}/jobs`, () => HttpResponse.json({ items: [job], next_cursor: null })),
        http.get(`${API}/jobs/job-1`, () => HttpResponse.json(job)),
      );
      const user = userEvent.setup();
      renderWithProviders(<ScheduleDialog onClose={() => {}} />);
      await user.selectOptions(await screen.findByLabelText('Article'), 'job-1');
      const post = screen.getByLabelText('Post');
      await within(post).findByRole('option', { name: /^X/ });
      await user.selectOptions(post, job.variants[0].id);

      const connector = screen.getByLabelText('Publish through');
      await user.selectOptions(connector, '@kyros on X');
      expect(connector).toHaveValue(`account:${KYROS.id}`);

      await user.selectOptions(post, job.variants[1].id);
      expect(connector).toHaveValue('file');
      expect(
        within(connector).getByRole('option', { name: 'Kyros Ltd on LinkedIn' }),
      ).toBeEnabled();
    });

    it('says the API’s refusal of the account at the field, as a sentence', async () => {
      serveConnections([KYROS]);
      server.use(
        noWebhook(),
        http.post(`${API}/schedule`, () =>
          HttpResponse.json(
            problem(422, 'Your request has invalid fields.', [
              {
                field: 'connection_id',
                message: 'reconnect @kyros on X first (Settings → Connections)',
              },
            ]),
            { status: 422 },
          ),
        ),
      );
      const user = userEvent.setup();
      renderWithProviders(<ScheduleDialog variant={X_POST} onClose={() => {}} />);
      await fillMondayMorning(user);
      const connector = screen.getByLabelText('Publish through');
      await within(connector).findByRole('option', { name: '@kyros on X' });
      await user.selectOptions(connector, '@kyros on X');
      await user.click(screen.getByTestId('schedule-save'));
      await waitFor(() => expect(connector).toHaveFocus());
      expect(connector).toHaveAccessibleDescription(
        'Reconnect @kyros on X first (Settings → Connections).',
      );
    });
  });
});
