import { inFlightRequests } from '../../src/common/http/graceful-shutdown';
import { startTestApp } from '../support/test-app';

describe('graceful shutdown', () => {
  it('finishes requests already in flight, then refuses new connections', async () => {
    const t = await startTestApp();
    const inFlight = Array.from({ length: 20 }, () => t.gql('{ cis(first: 200) { totalCount edges { node { key dependencies { to } } } } }'));
    while (inFlightRequests(t.app) < 5) await new Promise((resolve) => setImmediate(resolve));
    const closing = t.close();
    const answers = await Promise.allSettled(inFlight);
    await closing;
    const served = answers.filter((a) => a.status === 'fulfilled');
    expect(served.length).toBeGreaterThanOrEqual(5);
    for (const answer of served) {
      expect(answer.value.errors).toBeUndefined();
      expect(answer.value.data.cis.totalCount).toBeGreaterThanOrEqual(0);
    }
    await expect(fetch(`${t.url}/health/live`)).rejects.toThrow();
  });
});
