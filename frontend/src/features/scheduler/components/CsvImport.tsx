import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { useToast } from '@/components/ui/Toast';
import { DownloadIcon } from '@/components/ui/icons';
import { ApiError } from '@/lib/api/problem';
import type { FieldError } from '@/lib/api/types';
import { saveBlob } from '@/lib/download';
import { browserTimeZone } from '@/lib/zoned';
import { downloadImportTemplate, useImportSchedules } from '../queries';

const ROW_FIELD = /^rows\[(\d+)\]/;

/** A refused row or file as a sentence: the API words each row's error itself ("Row 3: Use a
 * date like 2027-03-22 09:00"); anything else gets its row put in front. */
function importErrorText({ field, message }: FieldError): string {
  if (/^Row \d+/.test(message)) return message;
  const row = ROW_FIELD.exec(field);
  return row ? `Row ${row[1]}: ${message}` : message;
}

const COLUMNS: ReadonlyArray<[name: string, meaning: string]> = [
  ['post', 'the post’s link (Copy link on its card), or instead job and channel'],
  ['job, channel', 'the job’s name and LinkedIn, X, Email newsletter or Blog post'],
  ['run_at', 'when it goes out, like 2027-03-22 09:00'],
  ['timezone', 'like Europe/Berlin'],
  ['recurrence', 'optional, a repeat rule like FREQ=WEEKLY;BYDAY=TU'],
  ['connector', 'optional, file (the default) or webhook'],
];

/** Schedules many posts from a CSV file; every row is checked and all or none are saved. */
export function CsvImport({ onClose }: { onClose: () => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<FieldError[]>([]);
  const [downloading, setDownloading] = useState(false);
  const importRows = useImportSchedules();
  const toast = useToast();

  async function handleTemplate() {
    setDownloading(true);
    try {
      const { blob, filename } = await downloadImportTemplate(browserTimeZone());
      saveBlob(blob, filename);
      toast.success('Template downloaded', filename);
    } catch (err) {
      toast.error(
        'Could not download the template',
        err instanceof ApiError ? err.userMessage : undefined,
      );
    } finally {
      setDownloading(false);
    }
  }

  async function handleSubmit(e: FormEvent) {
    e.preventDefault();
    setRowErrors([]);
    if (!file) {
      setFileError('Choose a CSV file.');
      return;
    }
    setFileError(null);
    try {
      const result = await importRows.mutateAsync(await file.text());
      toast.success(
        `Scheduled ${result.created} post${result.created === 1 ? '' : 's'}`,
        result.skipped > 0
          ? `${result.skipped} row${result.skipped === 1 ? '' : 's'} without a date ${result.skipped === 1 ? 'was' : 'were'} skipped.`
          : undefined,
      );
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length > 0) setRowErrors(err.fieldErrors);
      else
        toast.error(
          'Could not import the file',
          err instanceof ApiError ? err.userMessage : undefined,
        );
    }
  }

  const aboutRows = rowErrors.some((fe) => ROW_FIELD.test(fe.field));

  return (
    <Dialog
      title="Import schedules"
      description="One post per row. Every row is checked first: either all are scheduled or none."
      onClose={onClose}
      closeOnBackdrop={false}
      testId="import-dialog"
    >
      <form noValidate onSubmit={handleSubmit} className="flex flex-col gap-4">
        <div className="flex flex-col gap-2 rounded-lg border border-border bg-surface-2 p-3">
          <p className="text-sm">
            Start from the template: it lists your accepted posts. Fill in <code>run_at</code> for
            the ones to schedule; rows left without a date are skipped.
          </p>
          <div>
            <Button
              size="sm"
              onClick={() => void handleTemplate()}
              loading={downloading}
              data-testid="import-template"
            >
              <DownloadIcon width={14} height={14} />
              Download template
            </Button>
          </div>
          <details className="text-xs text-muted">
            <summary className="cursor-pointer font-medium text-fg">The columns</summary>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
              {COLUMNS.map(([name, meaning]) => (
                <div key={name} className="contents">
                  <dt>
                    <code>{name}</code>
                  </dt>
                  <dd>{meaning}</dd>
                </div>
              ))}
            </dl>
          </details>
        </div>

        <div className="flex flex-col gap-1.5">
          <label htmlFor={`${id}-file`} className="text-sm font-medium">
            CSV file
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError(null);
              setRowErrors([]);
            }}
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? `${id}-file-error` : undefined}
            className="text-sm file:mr-3 file:h-9 file:cursor-pointer file:rounded-lg file:border file:border-border file:bg-surface-2 file:px-3 file:text-sm file:font-medium file:text-fg"
            data-testid="import-file"
          />
          {fileError && (
            <p id={`${id}-file-error`} role="alert" className="text-xs font-medium text-danger">
              {fileError}
            </p>
          )}
        </div>

        {rowErrors.length > 0 && (
          <div
            role="alert"
            className="rounded-lg border border-danger/40 bg-danger-soft p-3"
            data-testid="import-errors"
          >
            <p className="text-sm font-semibold text-danger">
              Nothing was imported.{' '}
              {aboutRows
                ? `Fix ${rowErrors.length === 1 ? 'this row' : 'these rows'} and try again:`
                : 'Fix the file and try again:'}
            </p>
            <ul className="mt-2 flex max-h-56 list-disc flex-col gap-1 overflow-y-auto pl-5 text-sm">
              {rowErrors.map((fe, i) => (
                <li key={`${fe.field}-${i}`}>{importErrorText(fe)}</li>
              ))}
            </ul>
            {aboutRows && (
              <p className="mt-2 text-xs text-muted">
                Rows are numbered as your spreadsheet shows them: the header is row 1.
              </p>
            )}
          </div>
        )}

        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="primary"
            loading={importRows.isPending}
            data-testid="import-submit"
          >
            Import
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
