import { messageOf } from '../api.js';
import { loadRules, type ContestRulesView } from './contest-rules.js';

/**
 * A contest's readable rules, for a component that shows them: `load` in an `$effect` reads them
 * (again when the contest or the credential changes); its cleanup drops an answer that arrives
 * after it.
 */
export class FollowedRules {
  #rules = $state.raw<ContestRulesView | null>(null);
  #error = $state<string | null>(null);

  get rules(): ContestRulesView | null {
    return this.#rules;
  }

  get error(): string | null {
    return this.#error;
  }

  load(contestId: string, token: string | null): () => void {
    let current = true;
    this.#rules = null;
    this.#error = null;
    loadRules(contestId, token).then(
      (answer) => {
        if (current) this.#rules = answer;
      },
      (failure: unknown) => {
        if (current) this.#error = messageOf(failure);
      },
    );
    return () => {
      current = false;
    };
  }
}
