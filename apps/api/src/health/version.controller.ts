import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { APP_VERSION } from '../version.js';

export interface VersionInfo {
  readonly name: 'podium';
  readonly version: string;
}

@ApiTags('health')
@Controller('version')
export class VersionController {
  @Get()
  @ApiOkResponse({ description: '`{"name":"podium","version":"0.1.0"}`; touches no database' })
  get(): VersionInfo {
    return { name: 'podium', version: APP_VERSION };
  }
}
