import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { named } from '../common/validation/api-response.js';
import { ApiZodBody } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import {
  openPersonalLinkSchema,
  type CreatedPersonalLinkView,
  type OpenedPersonalLinkView,
  type OpenPersonalLinkDto,
  type PersonalLinkStatusView,
  createdPersonalLinkViewSchema,
  openedPersonalLinkViewSchema,
  personalLinkStatusViewSchema,
} from './dto/personal-link.dto.js';
import { PersonalLinksService } from './personal-links.service.js';

@ApiTags('personal links')
@ApiBearerAuth()
@Controller()
export class PersonalLinksController {
  constructor(private readonly links: PersonalLinksService) {}

  @Get('participants/:id/personal-link')
  @ApiOkResponse({
    schema: named('PersonalLinkStatus', personalLinkStatusViewSchema),
    description: '`{ participantId, active, createdAt, lastUsedAt }`',
  })
  @ApiNotFoundResponse({ description: 'No such participant' })
  status(@Param('id') id: string): Promise<PersonalLinkStatusView> {
    return this.links.status(id);
  }

  @Post('participants/:id/personal-link')
  @ApiCreatedResponse({
    schema: named('CreatedPersonalLink', createdPersonalLinkViewSchema),
    description:
      '`{ participantId, token, path, url, createdAt }`: a new link (`url` on PODIUM_PUBLIC_URL), shown this once; the previous one stops working',
  })
  @ApiNotFoundResponse({ description: 'No such participant' })
  create(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedPersonalLinkView> {
    return this.links.create(id, principal);
  }

  @Delete('participants/:id/personal-link')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the link stops working at once' })
  @ApiNotFoundResponse({ description: 'The participant has no live link' })
  revoke(@Param('id') id: string): Promise<void> {
    return this.links.revoke(id);
  }

  @Post('personal-links/open')
  @HttpCode(200)
  @ApiZodBody(openPersonalLinkSchema)
  @ApiOkResponse({
    schema: named('OpenedPersonalLink', openedPersonalLinkViewSchema),
    description: '`{ participantId, name }`: whose link it is',
  })
  @ApiUnauthorizedResponse({ description: 'Unknown or revoked link' })
  @ApiTooManyRequestsResponse({ description: 'Too many tries from this address' })
  open(
    @Body(new ZodValidationPipe(openPersonalLinkSchema)) body: OpenPersonalLinkDto,
  ): Promise<OpenedPersonalLinkView> {
    return this.links.open(body.token);
  }
}
