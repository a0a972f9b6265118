import { DomainError, FieldProblem } from '../errors/domain-error';
import { keyProblem } from './text-rules';

/** Checks a list of CI keys and its size; one BAD_USER_INPUT names every bad entry. */
export function validateKeys(values: unknown, path: string, maxItems: number): string[] {
  if (!Array.isArray(values)) throw DomainError.badInput([{ path, message: 'must be a list' }]);
  if (values.length > maxItems) {
    throw DomainError.badInput([{ path, message: `must have at most ${maxItems} items per call (got ${values.length}); split the batch` }]);
  }
  const problems: FieldProblem[] = [];
  values.forEach((value, index) => {
    const problem = keyProblem(value);
    if (problem) problems.push({ path: `${path}[${index}]`, message: problem });
  });
  if (problems.length) throw DomainError.badInput(problems);
  return values as string[];
}

/** Rejects a batch that names the same identity twice, pointing at both places. */
export function assertUnique(ids: readonly string[], path: (index: number) => string, what: string): void {
  const first = new Map<string, number>();
  const problems: FieldProblem[] = [];
  ids.forEach((id, index) => {
    const seen = first.get(id);
    if (seen === undefined) first.set(id, index);
    else problems.push({ path: path(index), message: `${what} '${id}' appears twice in one call (also at ${path(seen)})` });
  });
  if (problems.length) throw DomainError.badInput(problems);
}
