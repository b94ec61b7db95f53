/**
 * W3C Trace Context for the console's API calls: `traceparent` is
 * `00-<trace id: 16 bytes>-<parent span id: 8 bytes>-01` in lowercase hex. The API continues the
 * trace (through the queue to the worker and on to the networks), so a slow or failed action can
 * be followed from the click that started it.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

type RandomFill = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

const browserRandom: RandomFill = (bytes) => crypto.getRandomValues(bytes);

/** `size` random bytes in hex; an id of zeros only is invalid, so such a draw is made again. */
function randomId(size: number, fill: RandomFill): string {
  for (;;) {
    const bytes = fill(new Uint8Array(size));
    if (bytes.some((byte) => byte !== 0)) {
      return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
    }
  }
}

/** A new sampled trace whose root is the console's call. */
export function newTraceparent(fill: RandomFill = browserRandom): string {
  return `00-${randomId(16, fill)}-${randomId(8, fill)}-01`;
}

/** The trace id a `traceparent` header carries, or null for a missing or malformed one. */
export function traceIdOf(traceparent: string | null | undefined): string | null {
  return TRACEPARENT.exec(traceparent ?? '')?.[1] ?? null;
}
