import { parseContestFile, type ContestFile } from '@podium/contest-model';

/** Parses a stored contest file (validated when it was written) back into the library's type. */
export function parseStoredFile(file: Omit<ContestFile, 'events'>): ContestFile {
  const parsed = parseContestFile({ ...file, events: [] });
  if (!parsed.success) {
    throw new Error(
      `a stored contest file no longer validates: ${parsed.issues[0]?.path} ${parsed.issues[0]?.message}`,
    );
  }
  return parsed.data;
}
