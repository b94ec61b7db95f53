import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSessionForTests } from '@/lib/api/session';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { StudioForm } from './StudioForm';

/** The API's own message sits in a closed "Details" disclosure that opens on demand. */
async function expectDetails(user: ReturnType<typeof userEvent.setup>, raw: string) {
  const details = screen.getByText('Details').closest('details') as HTMLElement;
  expect(details).not.toHaveAttribute('open');
  await user.click(within(details).getByText('Details'));
  expect(details).toHaveAttribute('open');
  expect(within(details).getByText(raw)).toBeVisible();
}

const createdJob = { id: 'job-1', name: 'From the web', status: 'queued', channels: [] };

beforeEach(() => {
  localStorage.clear();
  server.use(http.get(`${API}/presets`, () => HttpResponse.json({ items: [] })));
});
afterEach(() => resetSessionForTests());

describe('studio channels', () => {
  it('offers Bluesky and Mastodon beside the four a new job starts with, and sends what is picked', async () => {
    let body: unknown;
    server.use(
      http.post(`${API}/jobs`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(createdJob, { status: 201 });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={vi.fn()} />);
    for (const name of ['LinkedIn', 'X', 'Newsletter', 'Blog'])
      expect(screen.getByRole('checkbox', { name })).toBeChecked();
    const bluesky = screen.getByRole('checkbox', { name: 'Bluesky' });
    const mastodon = screen.getByRole('checkbox', { name: 'Mastodon' });
    expect(bluesky).not.toBeChecked();
    expect(mastodon).not.toBeChecked();

    await user.type(screen.getByLabelText('Name'), 'Fediverse launch');
    await user.type(
      screen.getByLabelText('Article'),
      'We opened a second bakery in the old market hall.',
    );
    for (const name of ['LinkedIn', 'Newsletter', 'Blog'])
      await user.click(screen.getByRole('checkbox', { name }));
    await user.click(bluesky);
    await user.click(mastodon);
    await user.click(screen.getByRole('button', { name: /Generate/ }));

    await waitFor(() => expect(body).toMatchObject({ channels: ['x', 'bluesky', 'mastodon'] }));
  });
});

describe('studio sources', () => {
  it('sends a URL source from the URL tab', async () => {
    let body: unknown;
    server.use(
      http.post(`${API}/jobs`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(createdJob, { status: 201 });
      }),
    );
    const onCreated = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={onCreated} />);
    await user.type(screen.getByLabelText('Name'), 'From the web');
    await user.click(screen.getByRole('tab', { name: 'URL' }));
    await user.type(screen.getByLabelText('Web page URL'), 'https://example.com/news');
    await user.click(screen.getByRole('button', { name: /Generate/ }));

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('job-1'));
    expect(body).toMatchObject({
      name: 'From the web',
      source: { type: 'url', url: 'https://example.com/news' },
    });
  });

  it.each([
    [
      'The URL points to a private, loopback or reserved address, which is not allowed.',
      'This address is on a private network. Paste the text instead, or ask an administrator to allow it.',
    ],
    [
      'The URL could not be resolved: failed to lookup address information: Name or service not known.',
      "We couldn't find that website. Check the address.",
    ],
  ])('says why a URL was refused in plain words, with the API’s on demand', async (raw, human) => {
    server.use(
      http.post(`${API}/jobs`, () =>
        HttpResponse.json(
          problem(422, 'Fix the fields listed in `errors` and try again.', [
            { field: 'source.url', message: raw },
          ]),
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={vi.fn()} />);
    await user.type(screen.getByLabelText('Name'), 'Internal');
    await user.click(screen.getByRole('tab', { name: 'URL' }));
    await user.type(screen.getByLabelText('Web page URL'), 'http://10.0.0.1/');
    await user.click(screen.getByRole('button', { name: /Generate/ }));

    const field = screen.getByLabelText('Web page URL');
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(field).toHaveAccessibleDescription(human);
    expect(field).toHaveValue('http://10.0.0.1/');
    await expectDetails(user, raw);
  });

  it('uploads a file as multipart and creates the job from it', async () => {
    let uploaded: FormDataEntryValue | null = null;
    let contentType = '';
    let jobBody: unknown;
    server.use(
      http.post(`${API}/uploads`, async ({ request }) => {
        contentType = request.headers.get('content-type') ?? '';
        uploaded = (await request.formData()).get('file');
        return HttpResponse.json(
          {
            id: 'up-1',
            file_name: 'notes.md',
            format: 'markdown',
            size_bytes: 12,
            title: 'Notes',
            byline: null,
            language: 'eng',
            speakers: [],
            characters: 1234,
            preview: 'Notes',
            created_at: '2026-11-25T00:00:00Z',
          },
          { status: 201 },
        );
      }),
      http.post(`${API}/jobs`, async ({ request }) => {
        jobBody = await request.json();
        return HttpResponse.json(createdJob, { status: 201 });
      }),
    );
    const onCreated = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={onCreated} />);
    await user.type(screen.getByLabelText('Name'), 'From a file');
    await user.click(screen.getByRole('tab', { name: 'File' }));
    await user.upload(
      screen.getByLabelText('File to upload'),
      new File(['# Notes\n\nHello.'], 'notes.md', { type: 'text/markdown' }),
    );

    expect(await screen.findByTestId('upload-summary')).toHaveTextContent('notes.md');
    // The file travels as a multipart `file` part (jsdom does not keep the part's name or
    // bytes through fetch; the API tests cover those with real uploads).
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(uploaded).not.toBeNull();
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(jobBody).toMatchObject({ source: { type: 'upload', upload_id: 'up-1' } });
  });

  it('asks for the selected source before sending', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/jobs`, () => {
        calls += 1;
        return HttpResponse.json(createdJob, { status: 201 });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={vi.fn()} />);
    await user.type(screen.getByLabelText('Name'), 'Podcast');
    await user.click(screen.getByRole('tab', { name: 'Transcript' }));
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    expect(screen.getByLabelText('Transcript text')).toHaveAttribute('aria-invalid', 'true');
    await user.click(screen.getByRole('tab', { name: 'URL' }));
    await user.type(screen.getByLabelText('Web page URL'), 'ftp://example.com');
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    expect(screen.getByLabelText('Web page URL')).toHaveAccessibleDescription(
      /http:\/\/ or https:\/\//,
    );
    expect(calls).toBe(0);
  });

  it('resends an unchanged request with the same idempotency key and an edited one with a new key', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.post(`${API}/jobs`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        return HttpResponse.json(problem(503, 'The job was saved but could not be queued.'), {
          status: 503,
          headers: { 'content-type': 'application/problem+json' },
        });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={vi.fn()} />);
    await user.type(screen.getByLabelText('Name'), 'Launch');
    await user.click(screen.getByRole('tab', { name: 'URL' }));
    await user.type(screen.getByLabelText('Web page URL'), 'https://example.com/news');
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    await waitFor(() => expect(keys).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    await waitFor(() => expect(keys).toHaveLength(2));
    await user.type(screen.getByLabelText('Name'), ' again');
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    await waitFor(() => expect(keys).toHaveLength(3));
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('submits with Ctrl+Enter or ⌘+Enter from any field, the article textarea included', async () => {
    const names: string[] = [];
    server.use(
      http.post(`${API}/jobs`, async ({ request }) => {
        names.push(((await request.json()) as { name: string }).name);
        return HttpResponse.json(createdJob, { status: 201 });
      }),
    );
    const onCreated = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={onCreated} />);
    await user.type(screen.getByLabelText('Name'), 'Launch');
    await user.type(screen.getByLabelText('Article'), 'We are launching.');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(names).toEqual(['Launch']));
    expect(screen.getByLabelText('Article')).toHaveValue('');

    await user.type(screen.getByLabelText('Name'), 'Launch again');
    await user.type(screen.getByLabelText('Article'), 'Still launching.');
    await user.click(screen.getByRole('checkbox', { name: 'LinkedIn' }));
    await user.keyboard('{Meta>}{Enter}{/Meta}');
    await waitFor(() => expect(names).toEqual(['Launch', 'Launch again']));
    expect(onCreated).toHaveBeenCalledTimes(2);
  });

  it('moves focus to the first field it asks for', async () => {
    server.use(http.post(`${API}/jobs`, () => HttpResponse.json(createdJob, { status: 201 })));
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    expect(screen.getByLabelText('Name')).toHaveFocus();

    await user.type(screen.getByLabelText('Name'), 'Launch');
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    expect(screen.getByLabelText('Article')).toHaveFocus();

    await user.type(screen.getByLabelText('Article'), 'We are launching.');
    for (const channel of ['LinkedIn', 'X', 'Newsletter', 'Blog']) {
      await user.click(screen.getByRole('checkbox', { name: channel }));
    }
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    expect(screen.getByRole('checkbox', { name: 'LinkedIn' })).toHaveFocus();
  });

  it('moves focus to the first field the API refused', async () => {
    server.use(
      http.post(`${API}/jobs`, () =>
        HttpResponse.json(
          problem(422, 'Fix the fields listed in `errors` and try again.', [
            { field: 'source.url', message: 'The URL answered with HTTP 404.' },
          ]),
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={vi.fn()} />);
    await user.type(screen.getByLabelText('Name'), 'Gone');
    await user.click(screen.getByRole('tab', { name: 'URL' }));
    await user.type(screen.getByLabelText('Web page URL'), 'https://example.com/gone');
    await user.click(screen.getByRole('button', { name: /Generate/ }));
    await waitFor(() => expect(screen.getByLabelText('Web page URL')).toHaveFocus());
  });

  it('says why a PDF could not be read in plain words, with the API’s on demand', async () => {
    const raw = 'the PDF could not be read: invalid file trailer';
    server.use(
      http.post(`${API}/uploads`, () =>
        HttpResponse.json(
          problem(422, 'Your request has invalid fields.', [{ field: 'file', message: raw }]),
          {
            status: 422,
            headers: { 'content-type': 'application/problem+json' },
          },
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<StudioForm onCreated={vi.fn()} />);
    await user.click(screen.getByRole('tab', { name: 'File' }));
    await user.upload(
      screen.getByLabelText('File to upload'),
      new File(['%PDF-1.7'], 'scan.pdf', { type: 'application/pdf' }),
    );

    await waitFor(() =>
      expect(screen.getByLabelText('File to upload')).toHaveAccessibleDescription(
        "We couldn't read this PDF. If it is scanned or protected, paste its text instead.",
      ),
    );
    await expectDetails(user, raw);
  });
});
