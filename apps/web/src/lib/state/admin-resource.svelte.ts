import { messageOf } from '../api.js';

export interface MutateOptions {
  /** Shown once the change is made (e.g. "Saved"). */
  readonly notice?: string;
  /** What a refusal does; by default its message becomes the screen's error. */
  readonly failed?: (failure: unknown) => void;
}

/**
 * What every admin screen does with its list: load it, change something, load it again. The
 * screen's error and notice live here, so a failure shows the server's message the same way
 * everywhere (never the error's class name).
 */
export class AdminResource<T> {
  data: T = $state.raw() as T;
  error: string | null = $state(null);
  notice: string | null = $state(null);

  readonly #fetch: () => Promise<T>;
  readonly #loaded: (data: T) => void;

  /** `loaded` runs after each load, e.g. to reset the forms drawn from the list. */
  constructor(fetch: () => Promise<T>, initial: T, loaded: (data: T) => void = () => {}) {
    this.#fetch = fetch;
    this.#loaded = loaded;
    this.data = initial;
  }

  async load(): Promise<void> {
    try {
      this.data = await this.#fetch();
      this.#loaded(this.data);
    } catch (failure) {
      this.error = messageOf(failure);
    }
  }

  /** Makes `change`, then reloads; true when the change was accepted. */
  async mutate(change: () => Promise<unknown>, options: MutateOptions = {}): Promise<boolean> {
    try {
      await change();
    } catch (failure) {
      if (options.failed) options.failed(failure);
      else this.error = messageOf(failure);
      return false;
    }
    if (options.notice !== undefined) this.notice = options.notice;
    await this.load();
    return true;
  }
}
