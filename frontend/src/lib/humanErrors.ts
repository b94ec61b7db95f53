/**
 * Sentences a person can act on in place of the API's technical messages about a source, a
 * repeat rule or a webhook URL. The raw message is kept as the detail, for whoever needs it (an
 * administrator, a support request).
 */

/** What the console shows for an error: a sentence, and the API's own words when they differ. */
export type HumanError = { message: string; detail: string | null };

/**
 * Each known message by a phrase of the API's wording (the server's `sources/fetch.rs` URL
 * guard, the ingest crate's PDF reader, `schedules/recurrence.rs`), with what to say instead.
 */
const KNOWN_ERRORS: ReadonlyArray<{ phrase: RegExp; message: string }> = [
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
const WEBHOOK_URL_ERRORS: ReadonlyArray<{ phrase: RegExp; message: string }> = [
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

function lookup(
  known: ReadonlyArray<{ phrase: RegExp; message: string }>,
  raw: string | null | undefined,
): HumanError | null {
  if (!raw) return null;
  const found = known.find(({ phrase }) => phrase.test(raw));
  return found ? { message: found.message, detail: raw } : { message: raw, detail: null };
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
