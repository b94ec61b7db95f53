/** One dispatched Server-Sent Event. */
export type ServerSentEvent = { event: string; data: string; id?: string };

/**
 * Turns `text/event-stream` text, fed in chunks as it arrives, into events, following the
 * WHATWG event-stream rules: `\n`, `\r\n` or `\r` line ends, `:` comments ignored, `data` lines
 * joined with `\n`, an event dispatched at a blank line, and only when it has data.
 */
export function createEventStreamParser(onEvent: (event: ServerSentEvent) => void) {
  let pending = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;

  function line(text: string) {
    if (text === '') {
      if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), id });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
  }

  return function feed(chunk: string) {
    pending += chunk;
    // A trailing `\r` may be the first half of `\r\n`: keep it until the next chunk says.
    const pattern = /\r\n|\r(?!$)|\n/g;
    let start = 0;
    for (let match = pattern.exec(pending); match; match = pattern.exec(pending)) {
      line(pending.slice(start, match.index));
      start = match.index + match[0].length;
    }
    pending = pending.slice(start);
  };
}

/** Reads an event-stream body to its end (or until `signal` aborts), calling `onEvent` for each. */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const feed = createEventStreamParser(onEvent);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      feed(decoder.decode(value, { stream: true }));
    }
    feed(decoder.decode());
  } finally {
    signal?.removeEventListener('abort', cancel);
    reader.releaseLock();
  }
}
