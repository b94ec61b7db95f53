import { api, unwrap } from '@/lib/api/client';
import type { Schemas } from '@/lib/api/types';

export type Upload = Schemas['Upload'];

/** Uploads a file as multipart form data; the API extracts its text. */
export function uploadFile(file: File): Promise<Upload> {
  const body = new FormData();
  body.append('file', file);
  // openapi-fetch sends FormData as-is, letting the browser set the multipart boundary.
  return unwrap(api.POST('/uploads', { body: body as never }));
}
