import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/roles';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { SchemaService } from '../common/neo4j/schema.service';

/**
 * Probes for load balancers and orchestrators. `live` says the process
 * runs; `ready` and the plain `/health` say it can serve, which needs Neo4j.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly neo4j: Neo4jService,
    private readonly schema: SchemaService,
  ) {}

  @Get()
  async health(@Res() response: Response): Promise<void> {
    await this.ready(response);
  }

  @Get('live')
  @HttpCode(HttpStatus.OK)
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const neo4jUp = await this.neo4j.ping();
    const ready = neo4jUp && this.schema.isApplied;
    response.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: ready ? 'ok' : 'unavailable',
      neo4j: neo4jUp ? 'up' : 'down',
      schema: this.schema.isApplied ? 'applied' : 'pending',
    });
  }
}
