import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';

/** Longest key a CI may have; long enough for cloud ARNs and Kubernetes paths. */
export const MAX_KEY_LENGTH = 256;
export const MAX_NAME_LENGTH = 256;
export const MAX_TEXT_LENGTH = 4_000;
export const MAX_LABEL_LENGTH = 128;
export const MAX_TAGS = 50;
export const MAX_ATTRIBUTES = 100;
export const MAX_ATTRIBUTES_JSON = 16_384;

// Any whitespace or control/format/unassigned character (Unicode category C).
const FORBIDDEN_IN_KEY = /[\s\p{C}]/u;
const CONTROL = /[\p{Cc}]/u;

export function keyProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters (got ${value.length})`;
  const bad = FORBIDDEN_IN_KEY.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `must not contain whitespace or control characters (found U+${code} at position ${bad.index})`;
  }
  return null;
}

/** A CI key: 1..256 characters, no whitespace, no control characters. */
export function IsCiKey(options?: ValidationOptions) {
  return function (object: object, propertyName: string) {
    registerDecorator({
      name: 'isCiKey',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => keyProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => keyProblem(args.value) ?? 'is not a valid key',
      },
    });
  };
}

/** Free text: no control characters other than tab and newline. */
export function textProblem(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length > max) return `must be at most ${max} characters (got ${value.length})`;
  const stripped = value.replace(/[\t\n\r]/g, '');
  if (CONTROL.test(stripped)) return 'must not contain control characters';
  return null;
}

export function IsText(max: number, options?: ValidationOptions) {
  return function (object: object, propertyName: string) {
    registerDecorator({
      name: 'isText',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => value === null || value === undefined || textProblem(value, max) === null,
        defaultMessage: (args: ValidationArguments) => textProblem(args.value, max) ?? 'is not valid text',
      },
    });
  };
}

export function attributesProblem(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return 'must be an object';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ATTRIBUTES) return `must have at most ${MAX_ATTRIBUTES} entries (got ${entries.length})`;
  for (const [name, item] of entries) {
    const nameIssue = textProblem(name, MAX_LABEL_LENGTH);
    if (nameIssue || name.length === 0) return `attribute name '${name.slice(0, 40)}' ${nameIssue ?? 'must not be empty'}`;
    const scalars = Array.isArray(item) ? item : [item];
    for (const scalar of scalars) {
      const ok =
        typeof scalar === 'string' || typeof scalar === 'boolean' || (typeof scalar === 'number' && Number.isFinite(scalar)) || (scalar === null && !Array.isArray(item));
      if (!ok) return `attribute '${name}' must be a string, number, boolean, or a list of those`;
    }
  }
  const size = JSON.stringify(value).length;
  if (size > MAX_ATTRIBUTES_JSON) return `must be at most ${MAX_ATTRIBUTES_JSON} characters as JSON (got ${size})`;
  return null;
}

export function IsAttributes(options?: ValidationOptions) {
  return function (object: object, propertyName: string) {
    registerDecorator({
      name: 'isAttributes',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => attributesProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => attributesProblem(args.value) ?? 'is not valid',
      },
    });
  };
}
