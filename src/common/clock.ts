import { Injectable } from '@nestjs/common';

/** The time source for every timestamp we store; tests replace it to move time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
