/** A route pattern such as `/tv/:token`; `*` at the end matches the rest of the path. */
export type Params = Record<string, string>;

function match(pattern: string, path: string): Params | null {
  const parts = pattern.split('/').filter(Boolean);
  const segments = path.split('/').filter(Boolean);
  const params: Params = {};
  for (const [index, part] of parts.entries()) {
    if (part === '*') {
      params['*'] = segments.slice(index).map(decodeURIComponent).join('/');
      return params;
    }
    const segment = segments[index];
    if (segment === undefined) return null;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(segment);
    else if (part !== segment) return null;
  }
  return parts.length === segments.length ? params : null;
}

/**
 * The current location, for the client-side routes of App.svelte. The server answers every
 * non-API path with index.html, so a reload lands on the same page.
 */
class Router {
  #path = $state(window.location.pathname);
  #search = $state(window.location.search);

  constructor() {
    window.addEventListener('popstate', () => this.#sync());
    // Same-origin links navigate without a reload (modifier keys and targets keep their meaning).
    document.addEventListener('click', (event) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      const anchor = (event.target as Element | null)?.closest('a');
      if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
      const url = new URL(anchor.href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
      event.preventDefault();
      this.navigate(url.pathname + url.search);
    });
  }

  get path(): string {
    return this.#path;
  }

  get query(): URLSearchParams {
    return new URLSearchParams(this.#search);
  }

  navigate(href: string, { replace = false } = {}): void {
    if (replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    this.#sync();
    window.scrollTo(0, 0);
  }

  match(pattern: string): Params | null {
    return match(pattern, this.#path);
  }

  #sync(): void {
    this.#path = window.location.pathname;
    this.#search = window.location.search;
  }
}

export const router = new Router();
