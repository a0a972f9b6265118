import { runWithRequestContext } from '../request-context/request-context';
import { JsonLogger, LogSink } from './json-logger';

function capture(): LogSink & { out: Record<string, unknown>[]; err: Record<string, unknown>[] } {
  const out: Record<string, unknown>[] = [];
  const err: Record<string, unknown>[] = [];
  const parse = (into: Record<string, unknown>[]) => (line: string) => {
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    into.push(JSON.parse(line));
  };
  return { out, err, stdout: parse(out), stderr: parse(err) };
}

describe('JsonLogger', () => {
  it('writes one JSON line with time, level, context and message', () => {
    const sink = capture();
    new JsonLogger(undefined, sink).log('svcmap started', 'Bootstrap');
    expect(sink.out).toEqual([{ time: expect.any(String), level: 'log', context: 'Bootstrap', message: 'svcmap started' }]);
    expect(new Date(sink.out[0].time as string).toISOString()).toBe(sink.out[0].time);
  });

  it('adds the request id and GraphQL operation inside a request context', () => {
    const sink = capture();
    const logger = new JsonLogger(undefined, sink);
    runWithRequestContext({ requestId: 'req-42', operationName: 'ImpactOf' }, () => logger.warn('slow query', 'Neo4jService'));
    logger.log('outside');
    expect(sink.out[0]).toMatchObject({ level: 'warn', requestId: 'req-42', operation: 'ImpactOf', message: 'slow query' });
    expect(sink.out[1]).not.toHaveProperty('requestId');
  });

  it('keeps the request id across awaits in the same request', async () => {
    const sink = capture();
    const logger = new JsonLogger(undefined, sink);
    await runWithRequestContext({ requestId: 'req-async' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.log('after await');
    });
    expect(sink.out[0]).toMatchObject({ requestId: 'req-async', message: 'after await' });
  });

  it('spreads the fields of an object message, without letting them replace time or level', () => {
    const sink = capture();
    new JsonLogger(undefined, sink).log({ message: 'request', method: 'POST', status: 200, level: 'fake', time: 'fake' }, 'HTTP');
    expect(sink.out[0]).toMatchObject({ level: 'log', context: 'HTTP', message: 'request', method: 'POST', status: 200 });
    expect(sink.out[0].time).not.toBe('fake');
  });

  it('sends errors to stderr with their stack, as Nest calls error(message, stack, context)', () => {
    const sink = capture();
    const logger = new JsonLogger(undefined, sink);
    const stack = new Error('boom').stack!;
    logger.error('it failed', stack, 'GraphQLErrors');
    logger.error({ message: 'unhandled', error: new Error('inner') }, undefined, 'GraphQLErrors');
    expect(sink.out).toEqual([]);
    expect(sink.err[0]).toMatchObject({ level: 'error', context: 'GraphQLErrors', message: 'it failed', stack });
    expect(sink.err[1]).toMatchObject({ message: 'unhandled', context: 'GraphQLErrors', error: { message: 'inner', error: 'Error' } });
  });

  it('writes only the enabled levels', () => {
    const sink = capture();
    const logger = new JsonLogger(['error'], sink);
    logger.log('quiet');
    logger.warn('quiet');
    logger.debug('quiet');
    logger.error('loud');
    expect(sink.out).toEqual([]);
    expect(sink.err).toHaveLength(1);
    logger.setLogLevels(['log']);
    logger.log('now heard');
    expect(sink.out).toHaveLength(1);
  });

  it('never throws on values JSON cannot hold', () => {
    const sink = capture();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    new JsonLogger(undefined, sink).log({ message: 'odd values', count: BigInt(7), cyclic });
    expect(sink.out[0]).toMatchObject({ message: 'odd values', count: '7', cyclic: { name: 'loop', self: '[circular]' } });
  });
});
