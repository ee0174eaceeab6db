import { parseContestFile, simulationIssues, type ContestFile } from '@podium/contest-model';
import type { FieldIssue } from '../api/errors.js';
import { defaultRules } from './sim-draft-defaults.js';
import { fileToDraft } from './sim-draft-from-file.js';
import { draftToInput } from './sim-draft-input.js';
import { contestMonths, planFromHistory } from './sim-draft-plans.js';
import type { ParticipantDraft, RulesDraft } from './sim-draft-types.js';

/** The editor's contest and participants, validated live. */
export class SimDraft {
  #rules = $state<RulesDraft>(defaultRules(Date.now(), ''));
  #participants = $state<ParticipantDraft[]>([]);
  /** The saved draft contest this edits, if any. */
  #contestId = $state<string | null>(null);
  /** Issues the server named on the last save, until the draft changes. */
  #serverIssues = $state.raw<readonly FieldIssue[]>([]);
  /** Prize pictures chosen here, uploaded after the next save; key `place|league`. */
  #images = $state.raw<Readonly<Record<string, File>>>({});

  readonly input = $derived(draftToInput(this.#rules, this.#participants));

  readonly parsed = $derived.by(() => {
    const parsed = parseContestFile(this.input);
    if (!parsed.success) return parsed;
    const extra = simulationIssues(parsed.data);
    return extra.length > 0 ? { success: false as const, issues: extra } : parsed;
  });

  /** Every issue by JSON path: the schema's and, after a refused save, the server's. */
  readonly issues = $derived.by(() => {
    // Built afresh by each derivation and never mutated afterwards.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const byPath = new Map<string, FieldIssue[]>();
    const all = [...(this.parsed.success ? [] : this.parsed.issues), ...this.#serverIssues];
    for (const issue of all) byPath.set(issue.path, [...(byPath.get(issue.path) ?? []), issue]);
    return byPath;
  });

  readonly months = $derived(contestMonths(this.#rules));

  /** A new contest named `name`, its three default prizes titled `prizeTitles`. */
  constructor(name: string, prizeTitles: readonly string[]) {
    this.#rules = defaultRules(Date.now(), name, prizeTitles);
  }

  get rules(): RulesDraft {
    return this.#rules;
  }

  get participants(): ParticipantDraft[] {
    return this.#participants;
  }

  set participants(participants: ParticipantDraft[]) {
    this.#participants = participants;
  }

  get contestId(): string | null {
    return this.#contestId;
  }

  set contestId(id: string | null) {
    this.#contestId = id;
  }

  get serverIssues(): readonly FieldIssue[] {
    return this.#serverIssues;
  }

  set serverIssues(issues: readonly FieldIssue[]) {
    this.#serverIssues = issues;
  }

  get images(): Readonly<Record<string, File>> {
    return this.#images;
  }

  setImage(key: string, file: File | null): void {
    const { [key]: _previous, ...rest } = this.#images;
    this.#images = file === null ? rest : { ...rest, [key]: file };
  }

  clearImages(): void {
    this.#images = {};
  }

  /** Replaces rules and participants with a file's (a loaded draft, an applied remedy). */
  load(file: ContestFile): void {
    const { rules, participants } = fileToDraft(file);
    this.#rules = rules;
    this.#participants = participants;
    this.#serverIssues = [];
  }

  /** Plans back to the historical monthly mean × the contest's months. */
  resetPlans(): void {
    for (const participant of this.#participants) {
      if (participant.history.length === 0) continue;
      const { products, counters } = participant.plan;
      participant.plan = {
        ...planFromHistory(participant.history, this.months),
        products,
        counters,
      };
    }
  }
}
