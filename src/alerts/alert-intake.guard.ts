import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiKeysService } from '../auth/api-keys.service';
import { Actor } from '../common/actor';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { WEBHOOK_SECRET_ACTOR, alertSourceName, assertMayWriteAlerts } from './alert-permissions';
import { ALERTS_CONFIG, AlertsConfig } from './alerts.config';
import { AlertSource } from './alerts.vocabulary';

const ALERT_INTAKE_SOURCE = 'svcmap:alertIntakeSource';

/** Marks an HTTP route as an alert intake for a source; AlertIntakeGuard then decides who may call it. */
export const AlertIntake = (source: AlertSource) => SetMetadata(ALERT_INTAKE_SOURCE, source);

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Guards the HTTP alert intakes. Alertmanager sends one static bearer
 * credential (`http_config.authorization`): an API key that may write alerts
 * (ADMIN, or DISCOVERY allowing `alerts:<source>`), or, for operators who
 * would rather not put a key in Alertmanager's configuration, the shared
 * secret SVCMAP_ALERT_WEBHOOK_SECRET, which can do nothing but send alerts.
 * The routes are @Public() for the global guard so that this guard alone
 * decides; nothing else is public but the health probes.
 */
@Injectable()
export class AlertIntakeGuard implements CanActivate {
  private readonly secretDigest?: Buffer;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    @Inject(ALERTS_CONFIG) config: AlertsConfig,
  ) {
    this.secretDigest = config.webhookSecret ? digest(config.webhookSecret) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const source = this.reflector.get<AlertSource | undefined>(ALERT_INTAKE_SOURCE, context.getHandler());
    if (!source) throw new DomainError(ErrorCode.FORBIDDEN, 'This route declares no alert source and is closed to everyone');
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; actor?: Actor }>();
    const header = Array.isArray(request.headers.authorization) ? request.headers.authorization[0] : request.headers.authorization;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!token) {
      throw new DomainError(
        ErrorCode.UNAUTHENTICATED,
        `Send an API key that may write ${alertSourceName(source)}${this.secretDigest ? ', or the SVCMAP_ALERT_WEBHOOK_SECRET,' : ''} as Authorization: Bearer <token>`,
      );
    }
    // Compare digests: equal length always, so the comparison time says nothing about the secret.
    if (this.secretDigest && timingSafeEqual(digest(token), this.secretDigest)) {
      request.actor = WEBHOOK_SECRET_ACTOR;
      return true;
    }
    request.actor = await this.keys.authenticate(`Bearer ${token}`);
    assertMayWriteAlerts(request.actor, source);
    return true;
  }
}
