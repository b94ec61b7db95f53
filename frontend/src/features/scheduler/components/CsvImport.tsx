import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { FieldError } from '@/lib/api/types';
import { useImportSchedules } from '../queries';

const HEADER = 'variant_id,run_at,timezone,recurrence,connector';
const TEMPLATE = `${HEADER}\n00000000-0000-0000-0000-000000000000,2027-01-04T09:00,Europe/Berlin,FREQ=WEEKLY;BYDAY=MO,file\n`;
const TEMPLATE_URL = `data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE)}`;

/** `rows[3].run_at` → "Row 3 · run_at". */
function where(field: string): string {
  const m = /^rows\[(\d+)\](?:\.(.+))?$/.exec(field);
  if (m) return m[2] ? `Row ${m[1]} · ${m[2]}` : `Row ${m[1]}`;
  return field === 'body' ? 'File' : field;
}

/** Schedules many posts from a CSV file; every row is checked and all or none are saved. */
export function CsvImport({ onClose }: { onClose: () => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<FieldError[]>([]);
  const importRows = useImportSchedules();
  const toast = useToast();

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
      toast.success(`Scheduled ${result.created} post${result.created === 1 ? '' : 's'}`);
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

  return (
    <Dialog
      title="Import schedules"
      description="One post per row. Every row is checked first: either all are scheduled or none."
      onClose={onClose}
      closeOnBackdrop={false}
      testId="import-dialog"
    >
      <form noValidate onSubmit={handleSubmit} className="flex flex-col gap-4">
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
            aria-describedby={fileError ? `${id}-file-error` : `${id}-file-hint`}
            className="text-sm file:mr-3 file:h-9 file:cursor-pointer file:rounded-lg file:border file:border-border file:bg-surface-2 file:px-3 file:text-sm file:font-medium file:text-fg"
            data-testid="import-file"
          />
          {fileError ? (
            <p id={`${id}-file-error`} role="alert" className="text-xs font-medium text-danger">
              {fileError}
            </p>
          ) : (
            <p id={`${id}-file-hint`} className="text-xs text-muted">
              Columns: <code>{HEADER}</code>. <code>run_at</code> is local time in{' '}
              <code>timezone</code>; <code>recurrence</code> and <code>connector</code> may be
              empty.{' '}
              <a
                href={TEMPLATE_URL}
                download="kyros-schedules.csv"
                className="font-medium text-accent-text hover:underline"
              >
                Download a template
              </a>
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
              Nothing was imported. Fix {rowErrors.length === 1 ? 'this row' : 'these rows'} and try
              again:
            </p>
            <ul className="mt-2 flex max-h-56 flex-col gap-1 overflow-y-auto text-sm">
              {rowErrors.map((fe, i) => (
                <li key={`${fe.field}-${i}`}>
                  <span className="font-medium">{where(fe.field)}</span>: {fe.message}
                </li>
              ))}
            </ul>
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
