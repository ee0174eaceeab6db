import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { arrayOf, named } from '../common/validation/api-response.js';
import { ApiZodBody } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import { DisplaysService } from './displays.service.js';
import {
  createDisplaySchema,
  setDisplayContestsSchema,
  updateDisplaySchema,
  type CreateDisplayDto,
  type UpdateDisplayDto,
  type CreatedDisplayView,
  type DisplayView,
  type SetDisplayContestsDto,
  createdDisplayViewSchema,
  displayViewSchema,
} from './dto/display.dto.js';

const DISPLAY = '`{ id, name, contestIds, createdAt, language, slides, slideSeconds, sound }`';

@ApiTags('displays')
@ApiBearerAuth()
@Controller('displays')
export class DisplaysController {
  constructor(private readonly displays: DisplaysService) {}

  @Get()
  @ApiOkResponse({
    schema: arrayOf('Display', displayViewSchema),
    description: `Displays not revoked: ${DISPLAY}[]`,
  })
  list(): Promise<DisplayView[]> {
    return this.displays.list();
  }

  @Post()
  @ApiZodBody(createDisplaySchema)
  @ApiCreatedResponse({
    schema: named('CreatedDisplay', createdDisplayViewSchema),
    description: `${DISPLAY}, \`token\` (shown this once) and \`url\`, the TV link on PODIUM_PUBLIC_URL`,
  })
  @ApiBadRequestResponse({ description: 'A bad field; a contest id that names no contest' })
  create(
    @Body(new ZodValidationPipe(createDisplaySchema)) body: CreateDisplayDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedDisplayView> {
    return this.displays.create(body, principal);
  }

  @Patch(':id')
  @ApiZodBody(updateDisplaySchema)
  @ApiOkResponse({
    schema: named('Display', displayViewSchema),
    description: `The display with the given fields changed; an open TV follows at once: ${DISPLAY}`,
  })
  @ApiBadRequestResponse({ description: 'A bad field, named with its rule' })
  @ApiNotFoundResponse({ description: 'No such display (or revoked)' })
  update(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(updateDisplaySchema)) body: UpdateDisplayDto,
  ): Promise<DisplayView> {
    return this.displays.update(id, body);
  }

  @Post(':id/token')
  @HttpCode(200)
  @ApiOkResponse({
    schema: named('CreatedDisplay', createdDisplayViewSchema),
    description: `${DISPLAY}, the new \`token\` (shown this once) and \`url\`; the old token stops working at once`,
  })
  @ApiNotFoundResponse({ description: 'No such display (or revoked)' })
  reissueToken(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedDisplayView> {
    return this.displays.reissueToken(id, principal);
  }

  @Put(':id/contests')
  @ApiZodBody(setDisplayContestsSchema)
  @ApiOkResponse({
    schema: named('Display', displayViewSchema),
    description: `The display with exactly these contests: ${DISPLAY}`,
  })
  @ApiNotFoundResponse({ description: 'No such display (or revoked)' })
  setContests(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(setDisplayContestsSchema)) body: SetDisplayContestsDto,
  ): Promise<DisplayView> {
    return this.displays.setContests(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the token stops working at once' })
  @ApiNotFoundResponse({ description: 'No such display (or already revoked)' })
  revoke(@Param('id') id: string): Promise<void> {
    return this.displays.revoke(id);
  }
}
