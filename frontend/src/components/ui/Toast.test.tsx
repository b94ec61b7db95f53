import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ToastProvider, useToast, type ToastKind } from './Toast';

/** Buttons that raise the toasts a test names, one per click. */
function Raise({ toasts }: { toasts: Array<[ToastKind, string]> }) {
  const toast = useToast();
  return (
    <>
      {toasts.map(([kind, title]) => (
        <button key={title} type="button" onClick={() => toast.show(kind, title)}>
          {title}
        </button>
      ))}
    </>
  );
}

/** The titles of the toasts on screen, oldest first. */
function shownTitles() {
  return screen.getAllByTestId(/^toast-/).map((t) => t.querySelector('p')?.textContent);
}

async function raise(toasts: Array<[ToastKind, string]>) {
  const user = userEvent.setup();
  render(
    <ToastProvider>
      <Raise toasts={toasts} />
    </ToastProvider>,
  );
  for (const [, title] of toasts) await user.click(screen.getByRole('button', { name: title }));
}

describe('toasts', () => {
  it('shows at most two, a third pushing out the oldest', async () => {
    await raise([
      ['success', 'Saved'],
      ['info', 'Retrying'],
      ['success', 'Copied'],
    ]);
    expect(shownTitles()).toEqual(['Retrying', 'Copied']);
  });

  it('makes room by dropping the oldest success or info, not an error', async () => {
    await raise([
      ['error', 'Could not save'],
      ['success', 'Copied'],
      ['info', 'Retrying'],
    ]);
    expect(shownTitles()).toEqual(['Could not save', 'Retrying']);
  });

  it('drops the oldest error only when every toast shown is an error', async () => {
    await raise([
      ['error', 'Could not save'],
      ['error', 'Could not copy'],
      ['success', 'Scheduled'],
    ]);
    expect(shownTitles()).toEqual(['Could not copy', 'Scheduled']);
  });
});
