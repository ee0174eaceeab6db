import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { ContestFile } from '@podium/contest-model';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { arrayOf, named } from '../common/validation/api-response.js';
import { ApiZodBody, ApiZodQuery } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import type { ContestState } from './contests.repository.js';
import { ClawbacksService } from './clawbacks.service.js';
import { ContestsService } from './contests.service.js';
import { CorrectionsService } from './corrections.service.js';
import { DraftsService } from './drafts.service.js';
import { LifecycleService } from './lifecycle.service.js';
import { PrizeImagesService } from './prize-images.service.js';
import { ResultsService } from './results.service.js';
import {
  approveScenarioSchema,
  cloneContestSchema,
  contestIdSchema,
  launchSchema,
  correctionSchema,
  createContestSchema,
  feedQuerySchema,
  leagueQuerySchema,
  listContestsQuerySchema,
  placeParamSchema,
  plansBodySchema,
  updateContestSchema,
  type ApproveScenario,
  type CloneContest,
  type Correction,
  type LaunchBody,
  type PlansBody,
  type UpdateContest,
} from './dto/contest.dto.js';

const id = new ZodValidationPipe(contestIdSchema);

import { actorOf } from '../auth/actor.js';
import {
  auditEntrySchema,
  contestDefinitionViewSchema,
  feedEventSchema,
} from './dto/contest-records.schema.js';
import { contestRulesViewSchema } from './dto/contest-rules.schema.js';
import { contestSummarySchema, createdContestSchema } from './dto/contest-summary.schema.js';
import { checkpointSchema, standingsSchema } from './dto/standings.schema.js';
import { contestReportViewSchema } from './dto/report.dto.js';
import {
  clawbackDecisionSchema,
  clawbackIdSchema,
  clawbackViewSchema,
  type ClawbackDecisionBody,
} from './dto/clawback.dto.js';

@ApiTags('contests')
@Controller('contests')
export class ContestsController {
  constructor(
    private readonly contests: ContestsService,
    private readonly drafts: DraftsService,
    private readonly lifecycle: LifecycleService,
    private readonly corrections: CorrectionsService,
    private readonly results: ResultsService,
    private readonly prizeImages: PrizeImagesService,
    private readonly clawbacks: ClawbacksService,
  ) {}

  @Post()
  @ApiZodBody(
    createContestSchema,
    'A contest file (DESIGN §10); its `events` are not ingested here',
  )
  @ApiCreatedResponse({
    description: 'The new draft: `{ id, state }`',
    schema: named('CreatedContest', createdContestSchema),
  })
  create(
    @Body(new ZodValidationPipe(createContestSchema)) file: ContestFile,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.drafts.create(file, actorOf(principal));
  }

  @Get()
  @ApiZodQuery(listContestsQuerySchema)
  @ApiOkResponse({
    description: 'The contests the caller may see',
    schema: arrayOf('ContestSummary', contestSummarySchema),
  })
  list(
    @Query(new ZodValidationPipe(listContestsQuerySchema)) query: { state?: ContestState },
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.contests.list(query.state, principal);
  }

  @Get(':id')
  @ApiOkResponse({
    description: 'The contest',
    schema: named('ContestSummary', contestSummarySchema),
  })
  get(@Param('id', id) contestId: string, @CurrentPrincipal() principal: Principal) {
    return this.contests.get(contestId, principal);
  }

  @Put(':id')
  @ApiZodBody(createContestSchema, 'Replaces the rules of a draft contest')
  @ApiOkResponse({
    description: 'The contest',
    schema: named('ContestSummary', contestSummarySchema),
  })
  replace(
    @Param('id', id) contestId: string,
    @Body(new ZodValidationPipe(createContestSchema)) file: ContestFile,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.drafts.replace(contestId, file, actorOf(principal));
  }

  @Patch(':id')
  @ApiZodBody(
    updateContestSchema,
    'Texts and presentation, and the monthly repeat: editable in every state but closed',
  )
  @ApiOkResponse({
    description: 'The contest',
    schema: named('ContestSummary', contestSummarySchema),
  })
  update(
    @Param('id', id) contestId: string,
    @Body(new ZodValidationPipe(updateContestSchema)) changes: UpdateContest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.drafts.update(contestId, changes, actorOf(principal));
  }

  @Get(':id/rules')
  @ApiOkResponse({
    description:
      'The rules as every reader of the contest may see them: criteria, gates, leagues, prizes (and which have a picture), funding, team standings; no plans and no figures',
    schema: named('ContestRules', contestRulesViewSchema),
  })
  rules(@Param('id', id) contestId: string, @CurrentPrincipal() principal: Principal) {
    return this.contests.rules(contestId, principal);
  }

  @Get(':id/file')
  @ApiOkResponse({
    description: 'The contest file (frozen at launch), without events',
    schema: named('ContestDefinition', contestDefinitionViewSchema),
  })
  file(@Param('id', id) contestId: string) {
    return this.contests.definition(contestId);
  }

  @Get(':id/plans')
  plans(@Param('id', id) contestId: string) {
    return this.contests.plans(contestId);
  }

  @Put(':id/plans')
  @ApiZodBody(plansBodySchema, '`{ "<participant id>": plan }`; draft contests only')
  replacePlans(
    @Param('id', id) contestId: string,
    @Body(new ZodValidationPipe(plansBodySchema)) plans: PlansBody,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.drafts.replacePlans(contestId, plans, actorOf(principal));
  }

  @Put(':id/scenario')
  @ApiZodBody(approveScenarioSchema, 'The approved simulation scenario and its no-contest baseline')
  @ApiOkResponse({
    description: 'The contest',
    schema: named('ContestSummary', contestSummarySchema),
  })
  approveScenario(
    @Param('id', id) contestId: string,
    @Body(new ZodValidationPipe(approveScenarioSchema)) approval: ApproveScenario,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.drafts.approveScenario(contestId, approval, actorOf(principal));
  }

  @Post(':id/launch')
  @HttpCode(200)
  @ApiZodBody(
    launchSchema,
    'No body; or `{ "override": { "reason" } }` to launch past the launch gate (409 `not_simulated` or `unbalanced` without it)',
  )
  @ApiOkResponse({
    description: 'The contest and its new state: `{ id, state }`',
    schema: named('ContestTransition', createdContestSchema),
  })
  launch(
    @Param('id', id) contestId: string,
    @Body(new ZodValidationPipe(launchSchema)) body: LaunchBody,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.lifecycle.launch(contestId, actorOf(principal), body);
  }

  @Post(':id/clone')
  @ApiZodBody(
    cloneContestSchema,
    "A new draft with this contest's rules, prizes, plans and participants",
  )
  @ApiCreatedResponse({
    description: 'The new draft: `{ id, state }`',
    schema: named('CreatedContest', createdContestSchema),
  })
  clone(
    @Param('id', id) contestId: string,
    @Body(new ZodValidationPipe(cloneContestSchema)) body: CloneContest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.drafts.clone(contestId, body, actorOf(principal));
  }

  @Post(':id/unschedule')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'The contest and its new state: `{ id, state }`',
    schema: named('ContestTransition', createdContestSchema),
  })
  unschedule(@Param('id', id) contestId: string, @CurrentPrincipal() principal: Principal) {
    return this.lifecycle.unschedule(contestId, actorOf(principal));
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'The contest and its new state: `{ id, state }`',
    schema: named('ContestTransition', createdContestSchema),
  })
  close(@Param('id', id) contestId: string, @CurrentPrincipal() principal: Principal) {
    return this.lifecycle.close(contestId, actorOf(principal));
  }

  @Get(':id/standings')
  @ApiOkResponse({
    description:
      '`seq`, fund, prizes and standings with per-criterion points, eligibility and what it takes',
    schema: named('Standings', standingsSchema),
  })
  standings(@Param('id', id) contestId: string, @CurrentPrincipal() principal: Principal) {
    return this.results.standingsOf(contestId, principal);
  }

  @Get(':id/events')
  @ApiZodQuery(feedQuerySchema)
  @ApiOkResponse({
    description: 'Stored events, newest first, below `beforeSeq` when given',
    schema: arrayOf('FeedEvent', feedEventSchema),
  })
  feed(
    @Param('id', id) contestId: string,
    @Query(new ZodValidationPipe(feedQuerySchema)) query: { beforeSeq?: number; limit: number },
  ) {
    return this.contests.feed(contestId, query);
  }

  @Post(':id/corrections')
  @ApiZodBody(
    correctionSchema,
    'Reverse a stored event, or add a sale by hand; recorded as an event with its author',
  )
  correct(
    @Param('id', id) contestId: string,
    @Body(new ZodValidationPipe(correctionSchema)) correction: Correction,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.corrections.correct(contestId, correction, actorOf(principal));
  }

  @Get(':id/audit')
  @ApiOkResponse({
    description: 'The audit trail, oldest first',
    schema: arrayOf('AuditEntry', auditEntrySchema),
  })
  audit(@Param('id', id) contestId: string) {
    return this.contests.audit(contestId);
  }

  @Get(':id/checkpoints')
  @ApiOkResponse({
    description:
      'The checkpoints, by number, with their standings as the caller may see them; displays and sellers get the published ones only',
    schema: arrayOf('Checkpoint', checkpointSchema),
  })
  checkpoints(@Param('id', id) contestId: string, @CurrentPrincipal() principal: Principal) {
    return this.results.checkpoints(contestId, principal);
  }

  @Post(':id/checkpoints/:number/publish')
  @HttpCode(200)
  publish(
    @Param('id', id) contestId: string,
    @Param('number', new ZodValidationPipe(placeParamSchema)) number: number,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.results.publishCheckpoint(contestId, number, actorOf(principal));
  }

  @Get(':id/report')
  @ApiOkResponse({
    description:
      'The report frozen when the contest closed, and the sales cancelled since (clawbacks) with what each would have changed and its decision',
    schema: named('ContestReport', contestReportViewSchema),
  })
  report(@Param('id', id) contestId: string) {
    return this.results.report(contestId);
  }

  @Post(':id/clawbacks/:clawbackId')
  @HttpCode(200)
  @ApiZodBody(
    clawbackDecisionSchema,
    "The director's decision on a sale cancelled after the contest closed: recover the prize money it paid, or waive it",
  )
  @ApiOkResponse({
    description: 'The decided clawback',
    schema: named('Clawback', clawbackViewSchema),
  })
  decideClawback(
    @Param('id', id) contestId: string,
    @Param('clawbackId', new ZodValidationPipe(clawbackIdSchema)) clawbackId: number,
    @Body(new ZodValidationPipe(clawbackDecisionSchema)) body: ClawbackDecisionBody,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.clawbacks.decide(contestId, clawbackId, body, actorOf(principal));
  }

  @Put(':id/prizes/:place/image')
  @ApiConsumes('image/png', 'image/jpeg', 'image/webp', 'image/gif')
  @ApiZodQuery(leagueQuerySchema)
  putImage(
    @Param('id', id) contestId: string,
    @Param('place', new ZodValidationPipe(placeParamSchema)) place: number,
    @Query(new ZodValidationPipe(leagueQuerySchema)) query: { league?: string },
    @Body() bytes: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.prizeImages.putPrizeImage(
      contestId,
      place,
      query.league,
      Buffer.isBuffer(bytes) ? bytes : Buffer.alloc(0),
      actorOf(principal),
    );
  }

  @Get(':id/prizes/:place/image')
  @ApiZodQuery(leagueQuerySchema)
  @Header('cache-control', 'public, max-age=300, must-revalidate')
  async image(
    @Param('id', id) contestId: string,
    @Param('place', new ZodValidationPipe(placeParamSchema)) place: number,
    @Query(new ZodValidationPipe(leagueQuerySchema)) query: { league?: string },
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const image = await this.prizeImages.prizeImage(contestId, place, query.league);
    const etag = `"${image.sha256}"`;
    reply.header('etag', etag).header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).type(image.contentType).send(image.bytes);
  }
}
