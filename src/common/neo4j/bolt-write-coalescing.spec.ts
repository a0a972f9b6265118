import { dirname } from 'node:path';
import { coalesceBoltWrites } from './bolt-write-coalescing';

const fromDriver = (path: string) => require.resolve(path, { paths: [dirname(require.resolve('neo4j-driver'))] });

describe('coalesceBoltWrites', () => {
  const channel = require(fromDriver('neo4j-driver-bolt-connection/lib/channel/node/node-channel.js')).default;
  const { alloc } = require(fromDriver('neo4j-driver-bolt-connection/lib/channel/channel-buf.js'));

  function fakeChannel() {
    const calls: string[] = [];
    const socket = {
      writableCorked: 0,
      cork: () => {
        socket.writableCorked++;
        calls.push('cork');
      },
      uncork: () => {
        socket.writableCorked--;
        calls.push('uncork');
      },
      write: (bytes: Buffer) => calls.push(`write ${bytes.length}`),
    };
    return { calls, self: { _conn: socket, _pending: null as unknown[] | null } };
  }

  it('patches the installed driver, once', () => {
    expect(coalesceBoltWrites()).toBe(true);
    const patched = channel.prototype.write;
    expect(coalesceBoltWrites()).toBe(true);
    expect(channel.prototype.write).toBe(patched);
  });

  it('sends the chunks of one tick in one uncorked write, in order', async () => {
    coalesceBoltWrites();
    const { calls, self } = fakeChannel();
    channel.prototype.write.call(self, alloc(3));
    channel.prototype.write.call(self, alloc(5));
    expect(calls).toEqual(['cork', 'write 3', 'write 5']);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(calls).toEqual(['cork', 'write 3', 'write 5', 'uncork']);
    channel.prototype.write.call(self, alloc(2));
    await new Promise((resolve) => process.nextTick(resolve));
    expect(calls.slice(4)).toEqual(['cork', 'write 2', 'uncork']);
  });

  it('leaves writes queued while connecting to the channel', () => {
    coalesceBoltWrites();
    const { calls, self } = fakeChannel();
    self._pending = [];
    const buffer = alloc(4);
    channel.prototype.write.call(self, buffer);
    expect(self._pending).toEqual([buffer]);
    expect(calls).toEqual([]);
  });
});
