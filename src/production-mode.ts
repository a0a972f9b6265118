/**
 * The service runs in production mode unless NODE_ENV says otherwise, as
 * its container image does (Dockerfile). Libraries read NODE_ENV once, when
 * they load: outside production, graphql-js checks every type test for a
 * copy of itself from another realm, which cost a re-sync of 100,000 CIs
 * about a second of CPU in input coercion alone. main.ts imports this
 * first, before any of them loads.
 */
process.env.NODE_ENV ??= 'production';

export {};
