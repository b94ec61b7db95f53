/**
 * Sentences a person can act on in place of the API's technical messages about a source, a
 * repeat rule, a webhook URL or a connected account. The raw message is kept as the detail, for whoever needs it (an
 * administrator, a support request).
 */

/** What the console shows for an error: a sentence, and the API's own words when they differ. */
export type HumanError = { message: string; detail: string | null };

/** A phrase of the API's wording and what to say instead (built from the match when a name in
 * the message, such as the network's, belongs in the sentence). */
type KnownError = { phrase: RegExp; message: string | ((match: RegExpMatchArray) => string) };

/**
 * Each known message by a phrase of the API's wording (the server's `sources/fetch.rs` URL
 * guard, the ingest crate's PDF reader, `schedules/recurrence.rs`), with what to say instead.
 */
const KNOWN_ERRORS: readonly KnownError[] = [
  {
    phrase: /private, loopback or reserved address/i,
    message:
      'This address is on a private network. Paste the text instead, or ask an administrator to allow it.',
  },
  {
    phrase: /could not (?:be resolved|resolve)/i,
    message: "We couldn't find that website. Check the address.",
  },
  {
    phrase: /PDF could not be read/i,
    message: "We couldn't read this PDF. If it is scanned or protected, paste its text instead.",
  },
  {
    phrase: /is not a valid recurrence rule/i,
    message:
      "This repeat rule isn't valid. Try the options above, or a rule like FREQ=WEEKLY;BYDAY=MO.",
  },
];

/**
 * A webhook URL is checked by the same guard as a source's (`connectors/webhook.rs`), so the
 * same messages come back; for a webhook they call for other advice.
 */
const WEBHOOK_URL_ERRORS: readonly KnownError[] = [
  {
    phrase: /private, loopback or reserved address/i,
    message:
      'This address is on a private network, which Kyros does not post to. Use a public address, or ask an administrator to allow it.',
  },
  {
    phrase: /could not (?:be resolved|resolve)/i,
    message: "We couldn't find that address. Check the URL.",
  },
  {
    phrase: /is not a valid URL|must start with http/i,
    message: 'Enter a full http:// or https:// URL, like https://hooks.example.com/kyros.',
  },
];

/**
 * What connecting an account can be refused with (`connections/service.rs` and the network
 * clients): the API's sentence keeps its technical part, such as the variable an administrator
 * must set, which the person connecting has no use for.
 */
const CONNECTION_ERRORS: readonly KnownError[] = [
  {
    phrase: /^(.+?) is not set up on this server/i,
    message: ([, network]) =>
      `${network} is not set up on this server yet. Ask an administrator to set it up.`,
  },
  {
    phrase: /refused this handle and app password/i,
    message:
      'Bluesky did not accept this handle and app password. Check both, or create a new app password.',
  },
  {
    phrase: /no Bluesky account was found/i,
    message: 'No Bluesky account has this handle. Check its spelling, like you.bsky.social.',
  },
  {
    phrase: /account's main password/i,
    message:
      "This is the account's main password. Create an app password in Bluesky's settings and use that instead.",
  },
  {
    phrase: /^(.+?) could not be reached/i,
    message: ([, network]) => `${network} could not be reached. Try again in a moment.`,
  },
];

function lookup(known: readonly KnownError[], raw: string | null | undefined): HumanError | null {
  if (!raw) return null;
  for (const { phrase, message } of known) {
    const match = raw.match(phrase);
    if (match)
      return { message: typeof message === 'string' ? message : message(match), detail: raw };
  }
  return { message: raw, detail: null };
}

/** The human sentence for `raw`, or `raw` itself (without detail) when it is not a known one. */
export function humanError(raw: string): HumanError;
export function humanError(raw: string | null | undefined): HumanError | null;
export function humanError(raw: string | null | undefined): HumanError | null {
  return lookup(KNOWN_ERRORS, raw);
}

/** Like `humanError`, for the API's refusal of a webhook URL. */
export function humanWebhookUrlError(raw: string | null | undefined): HumanError | null {
  return lookup(WEBHOOK_URL_ERRORS, raw);
}

/**
 * Like `humanError`, for a refused connection. Field messages come as clauses ("enter the
 * account's handle, e.g. kyros.bsky.social"), so one not known here is still shown as a sentence.
 */
export function humanConnectionError(raw: string | null | undefined): HumanError | null {
  const found = lookup(CONNECTION_ERRORS, raw);
  if (!found || found.detail !== null) return found;
  const text = found.message.trim();
  if (!text) return found;
  const sentence = text[0].toUpperCase() + text.slice(1);
  return { message: /[.!?]$/.test(sentence) ? sentence : `${sentence}.`, detail: null };
}
