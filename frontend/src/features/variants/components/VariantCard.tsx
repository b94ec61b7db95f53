import { clsx } from 'clsx';
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { SelectField, TextAreaField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { CheckIcon, CopyIcon, DownloadIcon, LinkIcon } from '@/components/ui/icons';
import { track } from '@/lib/analytics';
import { ApiError } from '@/lib/api/problem';
import {
  CHANNEL_LABELS,
  EXPORT_FORMATS,
  type ExportFormat,
  type FailedCheck,
  type Variant,
} from '@/lib/api/types';
import { fixErrorsFirst, publishChecks } from '@/lib/checks';
import { countsFor, isThreadChannel } from '@/lib/counters';
import { saveBlob } from '@/lib/download';
import { storageKeys } from '@/lib/storage';
import { accountsForChannel } from '@/lib/connections/networks';
import { useConnections } from '@/lib/connections/queries';
import {
  exportVariant,
  isNoOtherAlternative,
  useRegenerateVariant,
  useUpdateVariant,
  type VariantUpdate,
} from '../queries';
import { useDraft } from '../useDraft';
import { ChannelPreview } from './ChannelPreview';
import { Counters } from './Counter';
import type { GroundingHandler } from './GroundedText';
import { LintList } from './LintList';
import { PublishAnywayDialog } from './PublishAnywayDialog';
import { VersionSwitcher } from './VersionSwitcher';

function errorMessage(e: unknown): string {
  return e instanceof ApiError ? e.userMessage : 'Something went wrong. Please try again.';
}

/** The anchor of a post's card on its job's page. */
function anchorOf(variant: Variant): string {
  return `variant-${variant.id}`;
}

/** A link to a post: its job's page, scrolled to its card. The CSV import reads a post from it
 * (the last id in the link), and the API's import template writes the same. */
function postLink(variant: Variant): string {
  return `${window.location.origin}/jobs/${variant.job_id}#${anchorOf(variant)}`;
}

/**
 * How a post is scheduled, supplied by the page that shows the card: scheduling is the
 * scheduler's, and the card only says where it goes.
 */
export type VariantScheduling = {
  /**
   * The buttons beside Accept once the post is accepted. `disabledReasonId` is the id of the
   * visible text saying why the post cannot be scheduled right now, if it cannot.
   */
  actions: (variant: Variant, disabledReasonId: string | undefined) => ReactNode;
  /** Below the buttons: how the post is scheduled already. */
  summary: (variant: Variant) => ReactNode;
};

export function VariantCard({
  variant,
  scheduling,
  onGrounding,
}: {
  variant: Variant;
  scheduling: VariantScheduling;
  onGrounding?: GroundingHandler;
}) {
  const channel = variant.channel;
  const toast = useToast();
  const [draft, setDraft, clearDraft] = useDraft(storageKeys.variantDraft(variant.id));
  const [editing, setEditing] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [format, setFormat] = useState<ExportFormat>('txt');
  const [exporting, setExporting] = useState(false);
  /** Warnings the user is asked to confirm before accepting; null while no one asks. */
  const [warningsToConfirm, setWarningsToConfirm] = useState<FailedCheck[] | null>(null);
  /** The checks the API gave for refusing to accept the post. */
  const [refusedChecks, setRefusedChecks] = useState<FailedCheck[] | null>(null);
  const blockedReasonId = useId();
  const update = useUpdateVariant(variant.job_id);
  const regenerate = useRegenerateVariant(variant.job_id);
  const meta = variant.metadata;
  const connections = useConnections();
  const accounts = useMemo(
    () => accountsForChannel(connections.data ?? [], variant.channel),
    [connections.data, variant.channel],
  );
  const { hash } = useLocation();
  const anchor = anchorOf(variant);

  // The card appears once the job has loaded, after the browser looked for the link's anchor.
  useEffect(() => {
    if (hash === `#${anchor}`)
      document.getElementById(anchor)?.scrollIntoView?.({ block: 'start' });
  }, [hash, anchor]);

  const acceptedVersion = variant.accepted_version ?? null;
  const text = draft ?? variant.content;
  const dirty = draft !== null && draft !== variant.content;
  const showEditor = editing || dirty;
  const counts = countsFor(channel, text, meta);
  // The findings describe the saved text; a draft is checked by the API when it is accepted.
  const { errors, warnings } = publishChecks(dirty ? [] : meta.lint);
  const acceptBlockedReason =
    !variant.accepted && errors.length > 0 ? fixErrorsFirst(errors, 'accept') : null;
  const scheduleBlockedReason = dirty
    ? 'Save or discard your edits first.'
    : errors.length > 0
      ? fixErrorsFirst(errors, 'schedule')
      : null;
  // Schedule shows only once the post is accepted, so at most one of the two is in the way.
  const blockedReason = variant.accepted ? scheduleBlockedReason : acceptBlockedReason;

  const label = CHANNEL_LABELS[channel];

  /** Saves the draft (if any) with `extra`; resolves to the saved post, or null when refused. */
  async function save(extra: Omit<VariantUpdate, 'id' | 'content'> = {}): Promise<Variant | null> {
    setFieldError(null);
    setRefusedChecks(null);
    try {
      const saved = await update.mutateAsync({
        id: variant.id,
        ...(dirty ? { content: text } : {}),
        ...extra,
      });
      clearDraft();
      if (extra.accepted === undefined && withdrewAcceptance(saved)) {
        toast.info(
          `Saved as version ${saved.current_version}: back in review`,
          `Acceptance belongs to the text you accepted (version ${saved.accepted_version ?? variant.current_version}); accept this one to publish it instead.`,
        );
      }
      return saved;
    } catch (e) {
      if (e instanceof ApiError && e.checks.length > 0) {
        // Warnings only: the API asks for confirmation, which the dialog gets.
        if (e.fieldMap().publish_anyway) setWarningsToConfirm(e.checks);
        else setRefusedChecks(e.checks);
        return null;
      }
      const fields = e instanceof ApiError ? e.fieldMap() : {};
      if (fields.content) setFieldError(fields.content);
      else toast.error(`Could not save the ${label} post`, errorMessage(e));
      return null;
    }
  }

  /** An edit is a new version, and acceptance stays with the version that was accepted. */
  function withdrewAcceptance(saved: Variant) {
    return variant.accepted && !saved.accepted;
  }

  async function handleSave() {
    const saved = await save();
    if (!saved) return;
    setEditing(false);
    if (!withdrewAcceptance(saved)) toast.success(`${label} post saved`);
  }

  async function handleAccept() {
    if (variant.accepted) {
      if (await save({ accepted: false })) {
        setEditing(false);
        toast.success(`${label} post moved back to review`);
      }
      return;
    }
    // The button is aria-disabled, not disabled, so the click still arrives.
    if (acceptBlockedReason) return;
    if (warnings.length > 0) setWarningsToConfirm(warnings);
    else await accept(false);
  }

  async function accept(publishAnyway: boolean) {
    if (await save({ accepted: true, publishAnyway })) {
      setEditing(false);
      toast.success(`${label} post accepted`);
    }
  }

  async function handleRegenerate() {
    try {
      const added = await regenerate.mutateAsync(variant.id);
      const keptAccepted = added.accepted_version ?? null;
      toast.success(
        `Version ${added.current_version} of the ${label} post added`,
        keptAccepted !== null
          ? `Version ${keptAccepted} stays accepted; switch back to it any time.`
          : 'Switch back to an earlier version any time.',
      );
    } catch (e) {
      if (isNoOtherAlternative(e)) toast.info(`No other ${label} version to try`, e.detail);
      else toast.error(`Could not write another ${label} version`, errorMessage(e));
    }
  }

  async function copy(value: string, done: string, hint?: string) {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(done, hint);
    } catch {
      toast.error(
        'Could not copy',
        'Your browser blocked clipboard access. Select the text and copy it instead.',
      );
    }
  }

  async function handleExport() {
    setExporting(true);
    try {
      if (dirty && !(await save())) return;
      const { blob, filename } = await exportVariant(variant.id, format);
      saveBlob(blob, filename);
      track('exported', { format, channel: variant.channel });
      toast.success('Export ready', filename);
    } catch (e) {
      toast.error('Export failed', errorMessage(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <Card
      id={anchor}
      className="flex scroll-mt-20 flex-col"
      data-testid={`variant-card-${channel}`}
      aria-labelledby={`variant-title-${variant.id}`}
      role="region"
    >
      <header className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 border-b border-border px-4 py-3">
        <div className="flex items-center gap-2">
          <h3 id={`variant-title-${variant.id}`} className="font-semibold">
            {label}
          </h3>
          {variant.accepted ? (
            <span className="inline-flex items-center gap-1 rounded-full bg-emerald-400/15 px-2 py-0.5 text-xs font-medium text-success">
              <CheckIcon width={12} height={12} /> Accepted
            </span>
          ) : (
            acceptedVersion !== null && (
              // Another version stays accepted until this one is, so the post is not lost.
              <span className="inline-flex items-center gap-1 rounded-full bg-surface-2 px-2 py-0.5 text-xs font-medium text-muted">
                <CheckIcon width={12} height={12} /> Version {acceptedVersion} accepted
              </span>
            )
          )}
          {dirty && (
            <span className="rounded-full bg-amber-400/15 px-2 py-0.5 text-xs font-medium text-warning">
              Unsaved edits
            </span>
          )}
        </div>
        <Counters channel={channel} counts={counts} />
        <VersionSwitcher
          variant={variant}
          label={label}
          // Showing another version would leave the draft on top of a text it was not made from.
          switchBlockedReason={dirty ? 'Save or discard your edits first.' : null}
        />
      </header>

      <div className="flex flex-col gap-4 p-4">
        {showEditor && (
          <TextAreaField
            label={`Edit ${label} post`}
            value={text}
            rows={isThreadChannel(channel) ? 8 : 10}
            onChange={(e) => {
              setDraft(e.target.value);
              setRefusedChecks(null);
            }}
            error={fieldError}
            hint={isThreadChannel(channel) ? 'Separate thread posts with a blank line.' : undefined}
            data-testid={`variant-editor-${channel}`}
          />
        )}
        <ChannelPreview
          channel={channel}
          text={text}
          meta={meta}
          onGrounding={onGrounding}
          accounts={accounts}
        />
        <div>
          <h4 className="mb-1.5 text-xs font-semibold tracking-wide text-muted uppercase">
            Checks
          </h4>
          <LintList findings={meta.lint} testId={`lint-${channel}`} />
          {dirty && meta.lint.length > 0 && (
            <p className="mt-1 text-xs text-muted">Checks reflect the last saved version.</p>
          )}
        </div>
        {refusedChecks && (
          <div role="alert" className="rounded-lg border border-danger/40 bg-danger-soft p-3">
            <p className="mb-1.5 text-sm font-medium text-danger">
              Not accepted: the post fails these checks.
            </p>
            <LintList findings={refusedChecks} />
          </div>
        )}
      </div>

      <footer className="mt-auto flex flex-wrap items-end gap-2 border-t border-border px-4 py-3">
        {showEditor ? (
          <>
            <Button
              variant="primary"
              size="sm"
              onClick={() => void handleSave()}
              loading={update.isPending}
              disabled={!dirty}
              data-testid={`save-${channel}`}
            >
              Save
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                clearDraft();
                setEditing(false);
                setFieldError(null);
                setRefusedChecks(null);
              }}
            >
              {dirty ? 'Discard' : 'Close editor'}
            </Button>
          </>
        ) : (
          <Button size="sm" onClick={() => setEditing(true)} data-testid={`edit-${channel}`}>
            Edit
          </Button>
        )}
        <Button
          size="sm"
          variant={variant.accepted ? 'secondary' : 'primary'}
          aria-pressed={variant.accepted}
          // Focusable while blocked, so keyboard and screen-reader users hear why.
          aria-disabled={acceptBlockedReason ? true : undefined}
          aria-describedby={acceptBlockedReason ? blockedReasonId : undefined}
          onClick={() => void handleAccept()}
          disabled={update.isPending}
          data-testid={`accept-${channel}`}
        >
          <CheckIcon width={14} height={14} />
          {variant.accepted ? 'Accepted' : 'Accept'}
        </Button>
        {variant.accepted &&
          scheduling.actions(variant, scheduleBlockedReason ? blockedReasonId : undefined)}
        <Button
          size="sm"
          onClick={() => void handleRegenerate()}
          loading={regenerate.isPending}
          disabled={dirty || update.isPending}
          title={dirty ? 'Save or discard your edits first' : undefined}
          data-testid={`regenerate-${channel}`}
        >
          Try another
        </Button>
        <Button
          size="sm"
          onClick={() => void copy(text, 'Copied to clipboard')}
          data-testid={`copy-${channel}`}
        >
          <CopyIcon width={14} height={14} />
          Copy
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() =>
            void copy(
              postLink(variant),
              'Link copied',
              'It opens this post, and names it in the post column of a CSV import.',
            )
          }
          aria-label={`Copy link to the ${label} post`}
          data-testid={`copy-link-${channel}`}
        >
          <LinkIcon width={14} height={14} />
          Copy link
        </Button>
        <div className="ml-auto flex items-end gap-2">
          <SelectField
            label={`Export format for ${label}`}
            hideLabel
            value={format}
            onChange={(e) => setFormat(e.target.value as ExportFormat)}
            className="w-24"
            data-testid={`export-format-${channel}`}
          >
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                .{f}
              </option>
            ))}
          </SelectField>
          <Button
            size="md"
            onClick={() => void handleExport()}
            loading={exporting}
            data-testid={`export-${channel}`}
          >
            <DownloadIcon width={14} height={14} />
            Export
          </Button>
        </div>
        <div className="basis-full">{scheduling.summary(variant)}</div>
        {blockedReason && (
          <p
            id={blockedReasonId}
            className={clsx('basis-full text-xs', errors.length > 0 ? 'text-danger' : 'text-muted')}
          >
            {blockedReason}
          </p>
        )}
      </footer>
      {warningsToConfirm && (
        <PublishAnywayDialog
          label={label}
          warnings={warningsToConfirm}
          onPublishAnyway={() => {
            setWarningsToConfirm(null);
            void accept(true);
          }}
          onKeepEditing={() => {
            setWarningsToConfirm(null);
            setEditing(true);
          }}
          onClose={() => setWarningsToConfirm(null)}
        />
      )}
    </Card>
  );
}
