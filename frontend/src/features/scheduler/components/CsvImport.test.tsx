import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSessionForTests, setTokens } from '@/lib/api/session';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { browserTimeZone } from '@/lib/zoned';
import { CsvImport } from './CsvImport';

const TEMPLATE =
  '\uFEFFjob,channel,post,run_at,timezone,recurrence,connector\n' +
  'Spring launch,LinkedIn,http://localhost:3001/jobs/j#variant-v,,Europe/Berlin,,\n';

const objectUrls = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };

/** The files the dialog saved, by name, instead of the browser's download. */
function captureDownloads() {
  const saved: Array<{ name: string; blob: Blob }> = [];
  const blobs = new Map<string, Blob>();
  // jsdom has no object URLs; the dialog only needs one to name the blob it saves.
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  };
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    saved.push({ name: this.download, blob: blobs.get(this.getAttribute('href') ?? '')! });
  });
  return saved;
}

function openDialog() {
  const onClose = vi.fn();
  renderWithProviders(<CsvImport onClose={onClose} />);
  return { dialog: screen.getByRole('dialog', { name: 'Import schedules' }), onClose };
}

async function importFile(dialog: HTMLElement, csv: string) {
  const user = userEvent.setup();
  await user.upload(
    within(dialog).getByLabelText('CSV file'),
    new File([csv], 'posts.csv', { type: 'text/csv' }),
  );
  await user.click(within(dialog).getByTestId('import-submit'));
}

beforeEach(() =>
  setTokens(
    { access_token: 'access-1', refresh_token: 'r', expires_in: 900, token_type: 'Bearer' },
    null,
  ),
);
afterEach(() => {
  resetSessionForTests();
  vi.restoreAllMocks();
  URL.createObjectURL = objectUrls.create;
  URL.revokeObjectURL = objectUrls.revoke;
});

describe('CSV import', () => {
  it('says which columns a file needs', () => {
    const { dialog } = openDialog();
    expect(within(dialog).getByText(/lists your accepted posts/)).toBeInTheDocument();
    const columns = within(dialog).getByRole('group');
    expect(within(columns).getByText('job, channel')).toBeInTheDocument();
    expect(
      within(columns).getByText('when it goes out, like 2027-03-22 09:00'),
    ).toBeInTheDocument();
  });

  it('downloads the template for the reader’s time zone with their token, and saves it', async () => {
    const asked: Array<{ timezone: string | null; auth: string | null }> = [];
    server.use(
      http.get(`${API}/schedule/import/template`, ({ request }) => {
        asked.push({
          timezone: new URL(request.url).searchParams.get('timezone'),
          auth: request.headers.get('authorization'),
        });
        return new HttpResponse(TEMPLATE, {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="kyros-schedule.csv"',
          },
        });
      }),
    );
    const saved = captureDownloads();
    const { dialog } = openDialog();
    await userEvent.setup().click(within(dialog).getByTestId('import-template'));

    expect(await screen.findByText('Template downloaded')).toBeInTheDocument();
    expect(asked).toEqual([{ timezone: browserTimeZone(), auth: 'Bearer access-1' }]);
    expect(saved.map((file) => file.name)).toEqual(['kyros-schedule.csv']);
    expect(await saved[0].blob.text()).toContain('Spring launch,LinkedIn,');
  });

  it('says when the template cannot be had', async () => {
    server.use(
      http.get(`${API}/schedule/import/template`, () =>
        HttpResponse.json(problem(503, 'The database is not answering.'), { status: 503 }),
      ),
    );
    const { dialog } = openDialog();
    await userEvent.setup().click(within(dialog).getByTestId('import-template'));
    expect(await screen.findByText('Could not download the template')).toBeInTheDocument();
  });

  it('lists each refused row as a sentence, numbered as the spreadsheet shows it', async () => {
    server.use(
      http.post(`${API}/schedule/import`, () =>
        HttpResponse.json(
          problem(422, 'Fix the fields listed in `errors` and try again.', [
            {
              field: 'rows[3].run_at',
              message: 'Row 3: Use a date like 2027-03-22 09:00 (not “22/03/2027”).',
            },
            {
              field: 'rows[4].job',
              message: 'Row 4: 2 jobs are called “Spring launch”; use the post link instead.',
            },
            { field: 'rows[5].timezone', message: 'Unknown time zone' },
          ]),
          { status: 422 },
        ),
      ),
    );
    const { dialog, onClose } = openDialog();
    await importFile(dialog, 'job,channel,run_at,timezone\nSpring launch,X,22/03/2027,UTC\n');

    const errors = await within(dialog).findByTestId('import-errors');
    expect(within(errors).getByText(/Fix these rows and try again/)).toBeInTheDocument();
    expect(
      within(errors)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Row 3: Use a date like 2027-03-22 09:00 (not “22/03/2027”).',
      'Row 4: 2 jobs are called “Spring launch”; use the post link instead.',
      'Row 5: Unknown time zone',
    ]);
    expect(within(errors).getByText(/the header is row 1/)).toBeInTheDocument();
    expect(dialog).not.toHaveTextContent('rows[');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('shows what is wrong with the file as a whole', async () => {
    server.use(
      http.post(`${API}/schedule/import`, () =>
        HttpResponse.json(
          problem(422, 'Fix the fields.', [
            { field: 'body', message: 'The header row has no run_at column.' },
          ]),
          { status: 422 },
        ),
      ),
    );
    const { dialog } = openDialog();
    await importFile(dialog, 'job,channel\nSpring launch,X\n');
    const errors = await within(dialog).findByTestId('import-errors');
    expect(within(errors).getByText(/Fix the file and try again/)).toBeInTheDocument();
    expect(within(errors).getByRole('listitem')).toHaveTextContent(
      'The header row has no run_at column.',
    );
    expect(within(errors).queryByText(/the header is row 1/)).not.toBeInTheDocument();
  });

  it('says how many posts were scheduled and how many rows without a date were skipped', async () => {
    let sent = '';
    server.use(
      http.post(`${API}/schedule/import`, async ({ request }) => {
        sent = await request.text();
        return HttpResponse.json({ created: 2, skipped: 3, items: [] }, { status: 201 });
      }),
    );
    const csv =
      'post,run_at,timezone\nhttp://localhost:3001/jobs/j#variant-v,2027-03-22 09:00,UTC\n';
    const { dialog, onClose } = openDialog();
    await importFile(dialog, csv);
    expect(await screen.findByText('Scheduled 2 posts')).toBeInTheDocument();
    expect(screen.getByText('3 rows without a date were skipped.')).toBeInTheDocument();
    expect(sent).toBe(csv);
    expect(onClose).toHaveBeenCalled();
  });
});
