import { router } from '../router.svelte.js';
import { session } from './session.svelte.js';

/**
 * The credential a TV slide reads with: the display token of the `/tv/:token` page it is shown
 * on, else the signed-in user's (staff previewing a slide elsewhere). Null for neither.
 */
export function tvToken(): string | null {
  return router.match('/tv/:token')?.token ?? session.token;
}
