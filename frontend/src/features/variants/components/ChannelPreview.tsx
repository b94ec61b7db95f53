import { useId, useState, type ReactNode } from 'react';
import type { Channel, Connection } from '@/lib/api/types';
import {
  LIMITS,
  leadingHeading,
  postLength,
  postLimit,
  splitThreadParts,
  type ThreadChannel,
} from '@/lib/counters';
import type { VariantMetadata } from '@/lib/api/types';
import { loadJSON, saveJSON, storageKeys } from '@/lib/storage';
import { CountChip } from './Counter';
import { GroundedText, type GroundingHandler } from './GroundedText';
import { MarkdownBody } from './MarkdownBody';

type PreviewProps = {
  channel: Channel;
  text: string;
  meta: VariantMetadata;
  onGrounding?: GroundingHandler;
  /** The user's connected accounts on the channel's network: the post is shown under one. */
  accounts?: readonly Connection[];
};

/** Who a preview shows the post under: a connected account, or a stand-in. */
type Author = Pick<Connection, 'display_name' | 'handle' | 'avatar_url'>;

/** Up to two initials of a name ("Rye & Crumb" → "RC"), for an account without a picture. */
export function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .map((word) => Array.from(word.replace(/^[^\p{L}\p{N}]+/u, ''))[0])
    .filter((letter): letter is string => letter !== undefined);
  return (
    letters.length > 1 ? letters[0] + letters[letters.length - 1] : (letters[0] ?? '?')
  ).toLocaleUpperCase();
}

function Avatar({ author }: { author: Author }) {
  const [broken, setBroken] = useState<string | null>(null);
  const picture = author.avatar_url && author.avatar_url !== broken ? author.avatar_url : null;
  if (picture) {
    return (
      <img
        src={picture}
        alt=""
        width={36}
        height={36}
        loading="lazy"
        // The networks' image hosts need not learn which page shows the picture.
        referrerPolicy="no-referrer"
        onError={() => setBroken(picture)}
        className="size-9 shrink-0 rounded-full border border-border bg-surface-2 object-cover"
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      className="grid size-9 shrink-0 place-items-center rounded-full bg-gradient-to-br from-indigo-500 to-fuchsia-500 text-sm font-semibold text-white"
    >
      {initials(author.display_name)}
    </span>
  );
}

/** The handle people mention on each network, and the thread's accessible name. */
const NETWORKS: Record<ThreadChannel, { handle: string; thread: string }> = {
  x: { handle: '@yourbrand', thread: 'Thread preview' },
  bluesky: { handle: '@yourbrand.bsky.social', thread: 'Bluesky thread preview' },
  mastodon: { handle: '@yourbrand@mastodon.social', thread: 'Mastodon thread preview' },
};

/**
 * The account a network's previews show posts under: the one last picked for that network while
 * it is still connected, else the first connected; `null` without any.
 */
function usePreviewAccount(network: Channel, accounts: readonly Connection[]) {
  const [picked, setPicked] = useState(() => loadJSON<string>(storageKeys.previewAccount(network)));
  const account = accounts.find((a) => a.id === picked) ?? accounts[0] ?? null;
  const pick = (id: string) => {
    setPicked(id);
    saveJSON(storageKeys.previewAccount(network), id);
  };
  return { account, pick };
}

/** Chooses which of several connected accounts the preview shows the post under. */
function AccountPicker({
  accounts,
  value,
  onPick,
}: {
  accounts: readonly Connection[];
  value: string;
  onPick: (id: string) => void;
}) {
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-xs text-muted">
      <label htmlFor={id} className="shrink-0">
        Preview as
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onPick(e.target.value)}
        className="h-8 min-w-0 truncate rounded-md border border-border bg-surface px-2 text-xs text-fg hover:border-muted/60 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring"
      >
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.display_name === a.handle ? a.handle : `${a.display_name} (${a.handle})`}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A post or thread as X, Bluesky and Mastodon show it, each post counted as its network counts. */
function ThreadPreview({
  channel,
  text,
  meta,
  onGrounding,
  author,
}: Omit<PreviewProps, 'channel' | 'accounts'> & { channel: ThreadChannel; author: Author | null }) {
  const parts = splitThreadParts(text);
  const network = NETWORKS[channel];
  const shown = author ?? { display_name: 'Your brand', handle: network.handle, avatar_url: null };
  const max = postLimit(channel, meta);
  return (
    <ol className="flex flex-col gap-0" aria-label={network.thread}>
      {parts.map((part, i) => (
        <li key={i} className="relative flex gap-3 pb-4 last:pb-0" data-testid={`${channel}-part`}>
          {i < parts.length - 1 && (
            <span
              aria-hidden="true"
              className="absolute top-10 bottom-0 left-[17px] w-0.5 bg-border"
            />
          )}
          <Avatar author={shown} />
          <div className="min-w-0 flex-1 rounded-2xl border border-border bg-surface-2 px-4 py-3">
            <div className="mb-1 flex items-center justify-between gap-2 text-xs text-muted">
              <span className="min-w-0 truncate">
                <span className="font-semibold text-fg">{shown.display_name}</span> {shown.handle}
              </span>
              <CountChip
                count={{
                  label: parts.length > 1 ? `${i + 1}/${parts.length}` : 'Post',
                  value: postLength(channel, part),
                  max,
                }}
              />
            </div>
            <p className="text-sm leading-relaxed break-words whitespace-pre-wrap">
              <GroundedText text={part} grounding={meta.grounding} onGrounding={onGrounding} />
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}

function LinkedInPreview({
  text,
  meta,
  onGrounding,
  author,
}: Omit<PreviewProps, 'channel' | 'accounts'> & { author: Author | null }) {
  const [expanded, setExpanded] = useState(false);
  const chars = Array.from(text);
  const folds = chars.length > LIMITS.linkedinFold;
  const visible =
    folds && !expanded ? chars.slice(0, LIMITS.linkedinFold).join('').trimEnd() : text;
  return (
    <div className="rounded-xl border border-border bg-surface-2 p-4">
      <div className="mb-3 flex items-center gap-3">
        <Avatar author={author ?? { display_name: 'Your Name', handle: '', avatar_url: null }} />
        <div className="text-xs text-muted">
          <p className="text-sm font-semibold text-fg">{author?.display_name ?? 'Your Name'}</p>
          <p>Marketing · Just now</p>
        </div>
      </div>
      <p className="text-sm leading-relaxed break-words whitespace-pre-wrap">
        <GroundedText text={visible} grounding={meta.grounding} onGrounding={onGrounding} />
        {folds && !expanded && (
          <>
            {' '}
            <button
              type="button"
              className="font-medium text-muted hover:text-fg hover:underline"
              onClick={() => setExpanded(true)}
              aria-expanded={false}
            >
              …see more
            </button>
          </>
        )}
      </p>
      {folds && expanded && (
        <button
          type="button"
          className="mt-2 text-sm font-medium text-muted hover:text-fg hover:underline"
          onClick={() => setExpanded(false)}
          aria-expanded={true}
        >
          see less
        </button>
      )}
    </div>
  );
}

function MetaRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex gap-3 text-sm">
      <dt className="w-24 shrink-0 text-muted">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** The newsletter as an inbox shows it: subject and preheader above the formatted email. */
function NewsletterPreview({ text, meta, onGrounding }: Omit<PreviewProps, 'channel'>) {
  const subject = leadingHeading(text) ?? meta.subject ?? null;
  const preheader = meta.preheader ?? null;
  const hasHeader = subject !== null || preheader !== null;
  return (
    <figure
      className="overflow-hidden rounded-xl border border-border bg-surface-2"
      aria-label="Email preview"
    >
      {hasHeader && (
        <dl className="flex flex-col gap-1.5 border-b border-border px-4 py-3">
          {subject !== null && (
            <MetaRow label="Subject">
              <span className="font-semibold">{subject}</span>
            </MetaRow>
          )}
          {preheader !== null && (
            <MetaRow label="Preheader">
              <span className="text-muted">{preheader}</span>
            </MetaRow>
          )}
        </dl>
      )}
      <div className="p-3 sm:p-4">
        <MarkdownBody
          markdown={text}
          grounding={meta.grounding}
          onGrounding={onGrounding}
          className="mx-auto max-w-xl rounded-lg border border-border bg-surface px-5 py-5 shadow-sm [&_h1]:text-xl"
        />
      </div>
    </figure>
  );
}

/** The blog article as its page shows it, under the address and meta description search uses. */
function BlogPreview({ text, meta, onGrounding }: Omit<PreviewProps, 'channel'>) {
  // A piece that does not open with its title still gets one, from the metadata.
  const separateTitle = leadingHeading(text) === null ? (meta.title ?? 'Untitled') : null;
  return (
    <figure
      className="overflow-hidden rounded-xl border border-border bg-surface-2"
      aria-label="Blog page preview"
    >
      <div className="flex flex-col gap-1 border-b border-border px-4 py-3">
        <p className="font-mono text-xs break-all text-success">
          yourblog.com/blog/{meta.slug ?? '…'}
        </p>
        <p className="text-sm text-muted">
          <span className="font-medium text-fg">Meta description:</span>{' '}
          {meta.meta_description ?? 'none'}
        </p>
      </div>
      <article className="bg-surface px-5 py-6">
        {separateTitle !== null && (
          <h1 className="mb-3 text-2xl font-semibold tracking-tight">{separateTitle}</h1>
        )}
        <MarkdownBody
          markdown={text}
          grounding={meta.grounding}
          onGrounding={onGrounding}
          className="[&_h1]:text-2xl"
        />
      </article>
    </figure>
  );
}

export function ChannelPreview({ accounts = [], ...props }: PreviewProps) {
  const { account, pick } = usePreviewAccount(props.channel, accounts);
  return (
    <div className="flex flex-col gap-2">
      {account && accounts.length > 1 && (
        <AccountPicker accounts={accounts} value={account.id} onPick={pick} />
      )}
      <PostPreview {...props} author={account} />
    </div>
  );
}

function PostPreview({
  channel,
  author,
  ...rest
}: Omit<PreviewProps, 'accounts'> & { author: Author | null }) {
  switch (channel) {
    case 'x':
    case 'bluesky':
    case 'mastodon':
      return <ThreadPreview channel={channel} author={author} {...rest} />;
    case 'linkedin':
      return <LinkedInPreview author={author} {...rest} />;
    case 'newsletter':
      return <NewsletterPreview {...rest} />;
    case 'blog':
      return <BlogPreview {...rest} />;
  }
}
