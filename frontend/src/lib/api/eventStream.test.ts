import { describe, expect, it } from 'vitest';
import { createEventStreamParser, readEventStream, type ServerSentEvent } from './eventStream';

function parse(chunks: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const feed = createEventStreamParser((e) => events.push(e));
  chunks.forEach(feed);
  return events;
}

describe('event stream parser', () => {
  it('reads named events and skips keep-alive comments', () => {
    expect(parse([': keep-alive\n\nevent: status\ndata: {"status":"queued"}\n\n'])).toEqual([
      { event: 'status', data: '{"status":"queued"}', id: undefined },
    ]);
  });

  it('joins an event split across chunks, even inside a line or a CRLF', () => {
    const events = parse(['event: sta', 'tus\r', '\ndata: {"a"', ':1}\r\n\r', '\n']);
    expect(events).toEqual([{ event: 'status', data: '{"a":1}', id: undefined }]);
  });

  it('joins data lines, defaults the name to message and keeps the last id', () => {
    expect(parse(['id: 7\ndata: one\ndata:two\n\ndata\n\n'])).toEqual([
      { event: 'message', data: 'one\ntwo', id: '7' },
      { event: 'message', data: '', id: '7' },
    ]);
  });

  it('dispatches nothing for an event without data or one not yet ended', () => {
    expect(parse(['event: status\n\n', 'data: half'])).toEqual([]);
  });

  it('reads a byte stream to its end, decoding characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('event: status\ndata: "Café"\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const cut = bytes.indexOf(0xc3) + 1;
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    await readEventStream(body, (e) => events.push(e));
    expect(events.map((e) => JSON.parse(e.data) as string)).toEqual(['Café']);
  });
});
