import { createHash } from 'node:crypto';
import type { ContestFile } from '@podium/contest-model';

/** A fingerprint of a contest file: its hash and sizes (the full files are large). */
export interface RuleDigest {
  sha256: string;
  criteria: number;
  prizes: number;
  participants: number;
}

/** What a rule change is audited with: a fingerprint of each side. */
export function ruleDigest(file: Omit<ContestFile, 'events'>): RuleDigest {
  return {
    sha256: createHash('sha256').update(JSON.stringify(file)).digest('hex'),
    criteria: file.criteria.length,
    prizes: file.prizes.length,
    participants: file.participants.length,
  };
}

/**
 * The fingerprint of what a simulation judges: the file without its texts (name, description,
 * prize titles), which `PATCH /api/contests/:id` changes in any state and no simulation reads.
 * An approval holds it; a launch compares it with the rules as they are.
 */
export function simulatedRulesDigest(file: Omit<ContestFile, 'events'>): RuleDigest {
  const { name: _name, description: _description, ...rules } = file;
  return ruleDigest({
    ...rules,
    name: '',
    prizes: file.prizes.map(({ title: _title, ...prize }) => ({ ...prize, title: '' })),
  });
}
