import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `npm run build` puts the browser app (vite's output): dist/web under the package root. */
export function webAppFolder(from = __dirname): string {
  let folder = from;
  // Same answer from src/web (tests run the sources) and from dist/src/web (the built service).
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return join(folder, 'dist', 'web');
}

/**
 * Serves the browser service map at / from the same process as the API, so it
 * needs no server of its own and talks to /graphql on its own origin. Plain
 * files only: the app's data comes from GraphQL with the user's key, so the
 * files need none. Hashed assets are cached for good, index.html never.
 * Files are looked up per request, so a rebuild while the service runs is served
 * as soon as it is written; a missing build is only warned about.
 */
export function serveWebApp(app: NestExpressApplication, folder = webAppFolder()): boolean {
  const built = existsSync(join(folder, 'index.html'));
  if (!built) new Logger('WebApp').warn(`No browser app in ${folder}: run npm run build to serve it at /`);
  app.useStaticAssets(folder, {
    index: 'index.html',
    redirect: false,
    setHeaders: (response, path) => {
      response.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return built;
}
