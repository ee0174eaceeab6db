import { Body, Controller, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiZodBody } from '../common/validation/api-zod.js';
import { BatchValidationPipe } from './batch-validation.pipe.js';
import {
  bulkHistoryIssues,
  bulkHistorySchema,
  type BulkHistoryDto,
  type BulkHistoryResult,
} from './dto/history.dto.js';
import { HistoryService } from './history.service.js';

@ApiTags('participants')
@Controller('history')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Put()
  @ApiZodBody(
    bulkHistorySchema,
    'Up to 10,000 monthly rows of any participants, all or nothing. A stored month is overwritten; other months are kept.',
  )
  @ApiOkResponse({ description: '`{ created, updated }`: months new and overwritten' })
  @ApiBadRequestResponse({
    description: 'Every bad row by index and field, unknown participants as `[i].participantId`',
  })
  bulkUpsert(
    @Body(new BatchValidationPipe(bulkHistorySchema, bulkHistoryIssues)) body: BulkHistoryDto,
  ): Promise<BulkHistoryResult> {
    return this.history.bulkUpsert(body);
  }
}
