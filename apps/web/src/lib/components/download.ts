import { ApiError, type FieldIssue } from '../api.js';
import { session } from '../state/session.svelte.js';

/** The name a `Content-Disposition: attachment` gives, UTF-8 form first. */
function fileNameOf(disposition: string | null, fallback: string): string {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (utf8?.[1]) return decodeURIComponent(utf8[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition ?? '');
  return plain?.[1] ?? fallback;
}

/**
 * Downloads a file the API serves behind a bearer token (a plain link cannot send one): fetches
 * it, then saves it under the name the server gives. A refusal throws an {@link ApiError}.
 */
export async function downloadFile(
  path: string,
  {
    method = 'GET',
    body,
    fallback = 'download',
  }: { method?: 'GET' | 'POST'; body?: unknown; fallback?: string } = {},
): Promise<void> {
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => ({}))) as {
      message?: string;
      issues?: FieldIssue[];
    };
    if (response.status === 401) session.expire();
    throw new ApiError(response.status, error.message ?? response.statusText, error.issues ?? []);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition'), fallback);
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser the time to start saving before the blob goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
