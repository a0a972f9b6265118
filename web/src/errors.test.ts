import { describe, expect, it } from 'vitest';
import { describe as describeError, fieldOfPath, mapErrors, type ApiError } from './errors';

describe('fieldOfPath', () => {
  it('turns API paths into the field of a one-item form', () => {
    expect(fieldOfPath('input[0].to')).toBe('to');
    expect(fieldOfPath('input[12].owner')).toBe('owner');
    expect(fieldOfPath('input[0].attributes.team')).toBe('attributes');
    expect(fieldOfPath('input[0].tags[3]')).toBe('tags');
    expect(fieldOfPath('keys')).toBe('keys');
    expect(fieldOfPath('input[0]')).toBe('');
  });
});

describe('mapErrors', () => {
  const notFound: ApiError = {
    message: 'Dependencies name CIs that do not exist: db:no-such-db',
    extensions: { code: 'NOT_FOUND', field: 'input[0].to', problems: [{ path: 'input[0].to', message: "no CI has key 'db:no-such-db'" }] },
  };

  it('puts each problem next to its field', () => {
    expect(mapErrors([notFound], ['to', 'type', 'strength'])).toEqual({ to: ["no CI has key 'db:no-such-db'"] });
  });

  it('spreads several problems of one error over several fields', () => {
    const bad: ApiError = {
      message: 'Invalid input',
      extensions: { code: 'BAD_USER_INPUT', field: 'input[0].name', problems: [{ path: 'input[0].name', message: 'at most 256 characters' }, { path: 'input[0].tags[2]', message: 'empty tag' }] },
    };
    expect(mapErrors([bad], ['name', 'tags'])).toEqual({ name: ['at most 256 characters'], tags: ['empty tag'] });
  });

  it('uses the error field when there are no problems, and the form for fields it does not show', () => {
    const conflict: ApiError = { message: 'CI changed meanwhile', extensions: { code: 'CONFLICT', field: 'input[0].expectedVersion' } };
    expect(mapErrors([conflict], ['name'])).toEqual({ '': ['CI changed meanwhile'] });
    expect(mapErrors([conflict], ['expectedVersion'])).toEqual({ expectedVersion: ['CI changed meanwhile'] });
  });

  it('keeps errors with no field on the form, with their code', () => {
    const forbidden: ApiError = { message: 'This needs the role ARCHITECT or ADMIN', extensions: { code: 'FORBIDDEN' } };
    expect(mapErrors([forbidden], ['to'])).toEqual({ '': ['This needs the role ARCHITECT or ADMIN (FORBIDDEN)'] });
    expect(describeError({ message: 'plain' })).toBe('plain');
  });

  it('says each message once', () => {
    expect(mapErrors([notFound, notFound], ['to'])).toEqual({ to: ["no CI has key 'db:no-such-db'"] });
  });
});
