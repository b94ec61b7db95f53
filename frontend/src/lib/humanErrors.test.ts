import { describe, expect, it } from 'vitest';
import { humanConnectionError, humanError, humanWebhookUrlError } from './humanErrors';

describe('human error messages', () => {
  it.each([
    [
      'The URL points to a private, loopback or reserved address, which is not allowed.',
      'This address is on a private network. Paste the text instead, or ask an administrator to allow it.',
    ],
    [
      'The URL could not be resolved: failed to lookup address information: Name or service not known.',
      "We couldn't find that website. Check the address.",
    ],
    [
      'The URL could not be resolved: no addresses.',
      "We couldn't find that website. Check the address.",
    ],
    ['could not resolve host example.invalid', "We couldn't find that website. Check the address."],
    [
      'the PDF could not be read: invalid file trailer',
      "We couldn't read this PDF. If it is scanned or protected, paste its text instead.",
    ],
    [
      'is not a valid recurrence rule: `FREQ` has no `=`',
      "This repeat rule isn't valid. Try the options above, or a rule like FREQ=WEEKLY;BYDAY=MO.",
    ],
  ])('says %j as a person would, keeping it as the detail', (raw, message) => {
    expect(humanError(raw)).toEqual({ message, detail: raw });
  });

  it('keeps a message it does not know as it is, with no detail', () => {
    expect(humanError('The URL answered with HTTP 404.')).toEqual({
      message: 'The URL answered with HTTP 404.',
      detail: null,
    });
    expect(humanError('Use a full address starting with http:// or https://.')).toEqual({
      message: 'Use a full address starting with http:// or https://.',
      detail: null,
    });
  });

  it('has nothing to say without a message', () => {
    expect(humanError(undefined)).toBeNull();
    expect(humanError('')).toBeNull();
  });

  it.each([
    [
      'points to a private, loopback or reserved address, which is not allowed',
      'This address is on a private network, which Kyros does not post to. Use a public address, or ask an administrator to allow it.',
    ],
    [
      'could not be resolved: failed to lookup address information',
      "We couldn't find that address. Check the URL.",
    ],
    [
      'is not a valid URL',
      'Enter a full http:// or https:// URL, like https://hooks.example.com/kyros.',
    ],
  ])('says the webhook URL refusal %j as advice for a webhook', (raw, message) => {
    expect(humanWebhookUrlError(raw)).toEqual({ message, detail: raw });
  });

  it('keeps an unknown webhook URL refusal as it is', () => {
    expect(humanWebhookUrlError('took too long to answer')).toEqual({
      message: 'took too long to answer',
      detail: null,
    });
    expect(humanWebhookUrlError(undefined)).toBeNull();
  });

  it.each([
    [
      'X is not set up on this server: an administrator must set X_CLIENT_ID',
      'X is not set up on this server yet. Ask an administrator to set it up.',
    ],
    [
      'Bluesky refused this handle and app password',
      'Bluesky did not accept this handle and app password. Check both, or create a new app password.',
    ],
    [
      'no Bluesky account was found for nobody.example',
      'No Bluesky account has this handle. Check its spelling, like you.bsky.social.',
    ],
    [
      "this is the account's main password; create an app password in Bluesky's settings and use it instead",
      "This is the account's main password. Create an app password in Bluesky's settings and use that instead.",
    ],
    [
      'Bluesky could not be reached; try again in a moment (timed out)',
      'Bluesky could not be reached. Try again in a moment.',
    ],
  ])('says the connection refusal %j for the person connecting', (raw, message) => {
    expect(humanConnectionError(raw)).toEqual({ message, detail: raw });
  });

  it('makes a sentence of an unknown connection refusal, and keeps a sentence as it is', () => {
    expect(humanConnectionError("enter the account's handle, e.g. kyros.bsky.social")).toEqual({
      message: "Enter the account's handle, e.g. kyros.bsky.social.",
      detail: null,
    });
    expect(humanConnectionError('This connection attempt expired; start again.')).toEqual({
      message: 'This connection attempt expired; start again.',
      detail: null,
    });
    expect(humanConnectionError(undefined)).toBeNull();
  });
});
