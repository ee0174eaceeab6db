import { BadRequestException, NotFoundException } from '@nestjs/common';
import {
  resolveScenario,
  simulationIssues,
  type ContestFile,
  type SimulationProgress,
  type SimulationState,
} from '@podium/contest-model';
import { validationError } from '../common/validation/zod-validation.pipe.js';
import type { ContestRecordsService } from '../contests/contest-records.service.js';
import type { ClusterOrigin } from '../database/cluster/cluster.service.js';
import type { CreateSimulation } from './dto/simulation.dto.js';
import type { SimulationRecord, SimulationRequest } from './simulations.repository.js';

/** What `onProgress` listeners get: the socket gateway forwards it to `simulation:<id>`. */
export interface SimulationUpdate {
  id: string;
  state: SimulationState;
  progress: SimulationProgress;
}

/** `origin`: `local` when this process made the change, `remote` when another one did. */
export type SimulationListener = (update: SimulationUpdate, origin: ClusterOrigin) => void;

/** `GET /api/simulations/:id` (the list leaves `result` out). */
export interface SimulationView {
  id: string;
  state: SimulationState;
  contestId: string | null;
  progress: SimulationProgress;
  result?: unknown;
  error?: string;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * The run a request asks for: a stored contest's rules and participants, or the file given;
 * a 400 naming the field when the simulator cannot run it, a 404 for an unknown contest.
 */
export async function simulationRequestOf(
  body: CreateSimulation,
  contests: ContestRecordsService,
): Promise<SimulationRequest> {
  let file: ContestFile;
  let contestId: string | null = null;
  if (body.contestId !== undefined) {
    const contest = await contests.find(body.contestId);
    if (contest === null) throw new NotFoundException(`no contest ${body.contestId}`);
    contestId = contest.id;
    // The simulator reads no events: a contest's rules and participants are what it needs.
    file = { ...(contest.frozenFile ?? contest.definition), events: [] };
  } else {
    file = body.file as ContestFile;
  }
  const issues = simulationIssues(file);
  if (issues.length > 0) {
    throw validationError(
      issues.map((issue) => ({
        path: body.file === undefined ? issue.path : `file.${issue.path}`,
        message: issue.message,
        code: issue.code,
      })),
    );
  }
  try {
    resolveScenario({ file, overrides: body.scenario });
  } catch (error) {
    // The overrides are validated by the schema; only a stored contest's scenario can get here.
    throw new BadRequestException(error instanceof Error ? error.message : String(error));
  }
  return { contestId, file, scenario: body.scenario ?? {}, remedies: body.remedies ?? true };
}

/**
 * A run as the API shows it; `current` is the run this process is running, whose latest progress
 * is newer than the stored (throttled) one.
 */
export function simulationView(
  record: SimulationRecord,
  current: { readonly id: string; readonly progress: SimulationProgress } | null,
): SimulationView {
  const progress =
    current?.id === record.id && record.state === 'running' ? current.progress : record.progress;
  return {
    id: record.id,
    state: record.state,
    contestId: record.contestId,
    progress,
    ...(record.error === null ? {} : { error: record.error }),
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}
