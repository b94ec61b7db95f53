import { clsx } from 'clsx';
import { useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Spinner } from '@/components/ui/Spinner';
import { useToast } from '@/components/ui/Toast';
import { CheckIcon, ChevronDownIcon } from '@/components/ui/icons';
import { ApiError } from '@/lib/api/problem';
import type { Variant } from '@/lib/api/types';
import { formatDateTime, formatTimeAgo } from '@/lib/format';
import { useNow } from '@/lib/useNow';
import { useRestoreVersion, useVariantVersions, type VariantVersion } from '../queries';

const ORIGIN_LABELS: Record<VariantVersion['origin'], string> = {
  generated: 'Generated',
  edited: 'Edited by you',
  regenerated: 'Try another',
};

type SwitcherProps = {
  variant: Variant;
  /** The channel's name, as in "Versions of the X post". */
  label: string;
  /** Why another version cannot be shown right now (unsaved edits); null when it can. */
  switchBlockedReason: string | null;
};

/**
 * The number of the version a post shows, opening the list of all its versions to show another.
 * A disclosure, not a popover: the list takes the card's width, so it fits a narrow screen.
 */
export function VersionSwitcher({ variant, label, switchBlockedReason }: SwitcherProps) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const listId = useId();

  function close() {
    setOpen(false);
    trigger.current?.focus();
  }

  return (
    <div
      className="basis-full"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={trigger}
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        // Starts with the visible text, so speech input can still say "Version 3".
        aria-label={`Version ${variant.current_version} of the ${label} post`}
        onClick={() => setOpen((o) => !o)}
        className="-ml-1.5 inline-flex h-7 items-center gap-1 rounded-md px-1.5 text-xs font-medium text-muted hover:bg-surface-2 hover:text-fg"
      >
        Version {variant.current_version}
        <ChevronDownIcon
          width={14}
          height={14}
          className={clsx('transition-transform', open && 'rotate-180')}
        />
      </button>
      {open && (
        <VersionList
          id={listId}
          variant={variant}
          label={label}
          switchBlockedReason={switchBlockedReason}
          onSwitched={close}
        />
      )}
    </div>
  );
}

/** Fetched only once opened: most posts are reviewed without looking back. */
function VersionList({
  id,
  variant,
  label,
  switchBlockedReason,
  onSwitched,
}: SwitcherProps & { id: string; onSwitched: () => void }) {
  const versions = useVariantVersions(variant.id);
  const restore = useRestoreVersion(variant.job_id);
  const toast = useToast();
  const now = useNow();

  async function switchTo(number: number) {
    try {
      const shown = await restore.mutateAsync({ variantId: variant.id, number });
      onSwitched();
      const acceptedVersion = shown.accepted_version ?? null;
      toast.success(
        `Showing version ${shown.current_version} of the ${label} post`,
        shown.accepted
          ? 'It is the accepted version.'
          : acceptedVersion !== null
            ? `Version ${acceptedVersion} stays accepted.`
            : undefined,
      );
    } catch (e) {
      toast.error(
        `Could not show version ${number} of the ${label} post`,
        e instanceof ApiError ? e.userMessage : 'Please try again.',
      );
    }
  }

  return (
    <div id={id} className="mt-1 rounded-lg border border-border bg-bg/40">
      {versions.isPending ? (
        <p role="status" className="flex items-center gap-2 px-3 py-2 text-sm text-muted">
          <Spinner className="size-4" /> Loading versions…
        </p>
      ) : versions.isError ? (
        <div role="alert" className="flex flex-wrap items-center gap-2 px-3 py-2 text-sm">
          <p className="min-w-0 flex-1 text-danger">
            Could not load the versions.{' '}
            {versions.error instanceof ApiError ? versions.error.userMessage : 'Please try again.'}
          </p>
          <Button size="sm" onClick={() => void versions.refetch()}>
            Try again
          </Button>
        </div>
      ) : (
        <>
          {switchBlockedReason && (
            <p className="px-3 pt-2 text-xs text-muted">{switchBlockedReason}</p>
          )}
          <ol aria-label={`Versions of the ${label} post`} className="divide-y divide-border">
            {versions.data.map((version) => (
              <VersionItem
                key={version.number}
                version={version}
                now={now}
                onSwitch={() => void switchTo(version.number)}
                switching={restore.isPending && restore.variables.number === version.number}
                switchDisabled={switchBlockedReason !== null || restore.isPending}
              />
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function VersionItem({
  version,
  now,
  onSwitch,
  switching,
  switchDisabled,
}: {
  version: VariantVersion;
  now: number;
  onSwitch: () => void;
  switching: boolean;
  switchDisabled: boolean;
}) {
  const numberId = useId();
  const preview = version.content.split('\n').find((line) => line.trim() !== '');
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-2 px-3 py-2">
      <div className="min-w-0 flex-1 basis-48">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
          <span id={numberId} className="font-medium">
            Version {version.number}
          </span>
          <span className="text-muted">
            {ORIGIN_LABELS[version.origin]} ·{' '}
            <time
              dateTime={version.created_at}
              title={formatDateTime(version.created_at)}
              data-dynamic
            >
              {formatTimeAgo(version.created_at, now)}
            </time>
          </span>
          {version.current && (
            <span className="rounded-full bg-accent-soft px-2 py-0.5 text-xs font-medium text-accent-text">
              Showing
            </span>
          )}
          {version.accepted && (
            <span className="inline-flex items-center gap-1 rounded-full bg-emerald-400/15 px-2 py-0.5 text-xs font-medium text-success">
              <CheckIcon width={12} height={12} /> Accepted
            </span>
          )}
        </p>
        {preview && <p className="mt-0.5 truncate text-xs text-muted">{preview.trim()}</p>}
      </div>
      {!version.current && (
        <Button
          size="sm"
          onClick={onSwitch}
          loading={switching}
          disabled={switchDisabled}
          // Every item's button reads the same; its description says which version it shows.
          aria-describedby={numberId}
        >
          Switch to this version
        </Button>
      )}
    </li>
  );
}
