import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { HistoryMonth } from '@podium/contest-model';
import { arrayOf, named } from '../common/validation/api-response.js';
import { ApiZodBody, ApiZodQuery } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import { BatchValidationPipe } from './batch-validation.pipe.js';
import {
  replaceHistoryIssues,
  replaceHistorySchema,
  type ReplaceHistoryDto,
  historyMonthApiSchema,
} from './dto/history.dto.js';
import {
  bulkParticipantsIssues,
  bulkParticipantsSchema,
  externalIdsIssues,
  createParticipantSchema,
  listParticipantsQuerySchema,
  updateParticipantSchema,
  type BulkParticipantsDto,
  type BulkParticipantsResult,
  type CreateParticipantDto,
  type ListParticipantsQuery,
  type ParticipantDetailView,
  type ParticipantPage,
  type UpdateParticipantDto,
  participantDetailViewSchema,
  participantPageSchema,
} from './dto/participant.dto.js';
import { HistoryService } from './history.service.js';
import { ParticipantsService } from './participants.service.js';

const PARTICIPANT =
  '`{ id, name, team, teamId, role, hiredOn, isNewcomer, league, externalIds: [{ source, externalId }], createdAt, updatedAt, historyMonths: ["YYYY-MM"] }`';
const FIELDS_400 = 'A field breaks a rule: `issues[]` names each by path';

@ApiTags('participants')
@Controller('participants')
export class ParticipantsController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly history: HistoryService,
  ) {}

  @Get()
  @ApiZodQuery(listParticipantsQuerySchema)
  @ApiOkResponse({
    schema: named('ParticipantPage', participantPageSchema),
    description:
      'One page by name: `{ items, total, limit, offset }`, items without `historyMonths`',
  })
  @ApiBadRequestResponse({ description: FIELDS_400 })
  list(
    @Query(new ZodValidationPipe(listParticipantsQuerySchema)) query: ListParticipantsQuery,
  ): Promise<ParticipantPage> {
    return this.participants.list(query);
  }

  @Post()
  @ApiZodBody(createParticipantSchema)
  @ApiCreatedResponse({
    schema: named('ParticipantDetail', participantDetailViewSchema),
    description: PARTICIPANT,
  })
  @ApiBadRequestResponse({ description: FIELDS_400 })
  @ApiConflictResponse({
    description: 'The `id` is taken, or an `externalIds[j]` is mapped to another participant',
  })
  create(
    @Body(new BatchValidationPipe(createParticipantSchema, externalIdsIssues))
    body: CreateParticipantDto,
  ): Promise<ParticipantDetailView> {
    return this.participants.create(body);
  }

  @Put()
  @ApiZodBody(
    bulkParticipantsSchema,
    'Up to 1,000 participants, upserted by id, all or nothing. Fields absent from an item are left as they are; teams named are created.',
  )
  @ApiOkResponse({ description: '`{ created, updated, teamsCreated: [name] }`' })
  @ApiBadRequestResponse({ description: 'Every bad item by index and field: `[3].hiredOn`' })
  @ApiConflictResponse({
    description: 'A CRM identity held by a participant outside the batch: `[i].externalIds[j]`',
  })
  bulkUpsert(
    @Body(new BatchValidationPipe(bulkParticipantsSchema, bulkParticipantsIssues))
    body: BulkParticipantsDto,
  ): Promise<BulkParticipantsResult> {
    return this.participants.bulkUpsert(body);
  }

  @Get(':id')
  @ApiOkResponse({
    schema: named('ParticipantDetail', participantDetailViewSchema),
    description: PARTICIPANT,
  })
  @ApiNotFoundResponse({ description: 'No such participant' })
  get(@Param('id') id: string): Promise<ParticipantDetailView> {
    return this.participants.get(id);
  }

  @Patch(':id')
  @ApiZodBody(
    updateParticipantSchema,
    'Absent fields stay as they are; null clears; `externalIds` replaces every mapping.',
  )
  @ApiOkResponse({
    schema: named('ParticipantDetail', participantDetailViewSchema),
    description: PARTICIPANT,
  })
  @ApiBadRequestResponse({ description: FIELDS_400 })
  @ApiNotFoundResponse({ description: 'No such participant' })
  @ApiConflictResponse({ description: 'An `externalIds[j]` is mapped to another participant' })
  update(
    @Param('id') id: string,
    @Body(new BatchValidationPipe(updateParticipantSchema, externalIdsIssues))
    body: UpdateParticipantDto,
  ): Promise<ParticipantDetailView> {
    return this.participants.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its CRM identities and history' })
  @ApiNotFoundResponse({ description: 'No such participant' })
  @ApiConflictResponse({ description: 'The participant has events or is in a contest' })
  delete(@Param('id') id: string): Promise<void> {
    return this.participants.delete(id);
  }

  @Get(':id/history')
  @ApiOkResponse({
    schema: arrayOf('HistoryMonth', historyMonthApiSchema),
    description:
      'Every month, oldest first, as a contest file carries it: `[{ month, turnoverMinor, marginMinor, deals?, newClients?, leads?, products?, counters? }]`',
  })
  @ApiNotFoundResponse({ description: 'No such participant' })
  getHistory(@Param('id') id: string): Promise<HistoryMonth[]> {
    return this.history.get(id);
  }

  @Put(':id/history')
  @ApiZodBody(replaceHistorySchema, 'Every month of the participant: replaces what is stored.')
  @ApiOkResponse({
    schema: arrayOf('HistoryMonth', historyMonthApiSchema),
    description: 'The stored months, oldest first',
  })
  @ApiBadRequestResponse({ description: 'Every bad month by index and field: `[2].turnoverMinor`' })
  @ApiNotFoundResponse({ description: 'No such participant' })
  replaceHistory(
    @Param('id') id: string,
    @Body(new BatchValidationPipe(replaceHistorySchema, replaceHistoryIssues))
    body: ReplaceHistoryDto,
  ): Promise<HistoryMonth[]> {
    return this.history.replace(id, body);
  }
}
