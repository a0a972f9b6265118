import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webAppFolder } from './web-app';

describe('webAppFolder', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'svcmap-web-'));
    writeFileSync(join(root, 'package.json'), '{}');
    mkdirSync(join(root, 'dist', 'src', 'web'), { recursive: true });
    mkdirSync(join(root, 'src', 'web'), { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds dist/web under the package root from the sources and from the built service alike', () => {
    expect(webAppFolder(join(root, 'src', 'web'))).toBe(join(root, 'dist', 'web'));
    expect(webAppFolder(join(root, 'dist', 'src', 'web'))).toBe(join(root, 'dist', 'web'));
  });

  it('is this repository dist/web when asked from its own folder', () => {
    expect(webAppFolder()).toBe(join(__dirname, '..', '..', 'dist', 'web'));
  });
});
