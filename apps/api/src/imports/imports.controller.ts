import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { named } from '../common/validation/api-response.js';
import { ApiZodQuery } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import {
  importKindSchema,
  importQuerySchema,
  importReportSchema,
  sheetTextSchema,
  templateFileSchema,
  type ImportQuery,
  type ImportReport,
} from './imports.dto.js';
import type { ImportKind } from './import-kinds.js';
import { ImportsService, type SheetText } from './imports.service.js';
import { CSV_TYPE, XLSX_TYPE } from './sheet.reader.js';
import { sendFile } from './send-file.js';

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('sheet')
  @HttpCode(200)
  @ApiConsumes(CSV_TYPE, XLSX_TYPE)
  @ApiOkResponse({
    description:
      'Reads a CSV or XLSX (first sheet) and answers its cells as text, writing nothing: `{ header, rows: [{ row, cells }] }` (the simulator checks its own files with it)',
    schema: named('SheetText', sheetTextSchema),
  })
  sheet(
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<SheetText> {
    return this.imports.readUpload(body, contentType);
  }

  @Post(':kind')
  @HttpCode(200)
  @ApiConsumes(CSV_TYPE, XLSX_TYPE)
  @ApiZodQuery(importQuerySchema)
  @ApiOkResponse({
    description:
      'The body is the file itself. `{ kind, dryRun, rows, valid, issues: [{ row, column, code, reason }], created, updated }`; with issues and no dryRun: 400 with the same body and nothing written',
    schema: named('ImportReport', importReportSchema),
  })
  run(
    @Param('kind', new ZodValidationPipe(importKindSchema)) kind: ImportKind,
    @Query(new ZodValidationPipe(importQuerySchema)) query: ImportQuery,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportReport> {
    return this.imports.runUpload(kind, body, contentType, { dryRun: query.dryRun, principal });
  }

  @Get('templates/:file')
  @ApiOkResponse({ description: '`participants.csv`, `deals.xlsx`, …: header and an example row' })
  async template(
    @Param('file', new ZodValidationPipe(templateFileSchema)) file: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendFile(reply, await this.imports.template(file));
  }
}
