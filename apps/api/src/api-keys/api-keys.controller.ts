import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
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
import { ApiKeysService } from './api-keys.service.js';
import {
  createApiKeySchema,
  type ApiKeyView,
  type CreateApiKeyDto,
  type CreatedApiKeyView,
  apiKeyViewSchema,
  createdApiKeyViewSchema,
} from './dto/api-key.dto.js';

const KEY = '`{ id, name, keyPrefix, scopes, createdAt, lastUsedAt }`';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOkResponse({
    schema: arrayOf('ApiKey', apiKeyViewSchema),
    description: `Keys not revoked, newest first, without secrets: ${KEY}[]`,
  })
  list(): Promise<ApiKeyView[]> {
    return this.keys.list();
  }

  @Post()
  @ApiZodBody(createApiKeySchema)
  @ApiCreatedResponse({
    schema: named('CreatedApiKey', createdApiKeyViewSchema),
    description: `${KEY} and \`key\`, shown this once`,
  })
  create(
    @Body(new ZodValidationPipe(createApiKeySchema)) body: CreateApiKeyDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedApiKeyView> {
    return this.keys.create(body, principal);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the key stops working at once' })
  @ApiNotFoundResponse({ description: 'No such key (or already revoked)' })
  revoke(@Param('id') id: string): Promise<void> {
    return this.keys.revoke(id);
  }
}
