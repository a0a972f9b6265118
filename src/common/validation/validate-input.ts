import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { DomainError, FieldProblem } from '../errors/domain-error';

function flatten(errors: ValidationError[], prefix: string, out: FieldProblem[]): void {
  for (const error of errors) {
    const path = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ path, message });
    }
    if (error.children?.length) flatten(error.children, path, out);
  }
}

/** Validates one object and returns its problems with paths under `path`. */
export function problemsOf<T extends object>(type: ClassConstructor<T>, value: unknown, path: string): FieldProblem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ path, message: 'must be an object' }];
  }
  const instance = plainToInstance(type, value);
  const out: FieldProblem[] = [];
  flatten(validateSync(instance as object, { forbidUnknownValues: true, whitelist: false }), path, out);
  return out;
}

/**
 * Validates every item of a list and throws one BAD_USER_INPUT naming each
 * bad item by index and field, so a client can fix a whole batch at once.
 */
export function validateList<T extends object>(type: ClassConstructor<T>, values: unknown, path: string, maxItems: number): T[] {
  if (!Array.isArray(values)) throw DomainError.badInput([{ path, message: 'must be a list' }]);
  if (values.length > maxItems) {
    throw DomainError.badInput([
      { path, message: `must have at most ${maxItems} items per call (got ${values.length}); split the batch` },
    ]);
  }
  const problems = values.flatMap((value, index) => problemsOf(type, value, `${path}[${index}]`));
  if (problems.length) throw DomainError.badInput(problems);
  return values as T[];
}
