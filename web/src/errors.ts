/** A GraphQL error as the API sends it: extensions carry the code, the field and every problem. */
export interface ApiError {
  message: string;
  path?: (string | number)[];
  extensions?: {
    code?: string;
    field?: string;
    problems?: { path: string; message: string }[];
    requestId?: string;
    [more: string]: unknown;
  };
}

/** Messages per form field; `''` holds what belongs to no field of the form. */
export type FieldErrors = Record<string, string[]>;

/**
 * The form field an API path names: `input[0].to` is the `to` field of the
 * form that sent one input, `input[0].attributes.team` its `attributes`, `keys` itself.
 */
export function fieldOfPath(path: string): string {
  const withoutInput = path.replace(/^[A-Za-z]+\[\d+\]\.?/, '');
  const head = withoutInput.split(/[.[]/)[0];
  return head || '';
}

/**
 * Spreads API errors over the fields of a form: every `problems` entry at its
 * field, else the error's `field`, else the form itself. Fields the form does not
 * show are reported on the form, so no message is lost.
 */
export function mapErrors(errors: ApiError[], formFields: string[]): FieldErrors {
  const result: FieldErrors = {};
  const add = (field: string, message: string) => {
    const target = formFields.includes(field) ? field : '';
    const list = (result[target] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  for (const error of errors) {
    const problems = error.extensions?.problems ?? [];
    if (problems.length) {
      for (const p of problems) add(fieldOfPath(p.path), p.message);
    } else if (error.extensions?.field) {
      add(fieldOfPath(error.extensions.field), error.message);
    } else {
      add('', describe(error));
    }
  }
  return result;
}

/** One line for an error that belongs to no field: the message, and the code a person can search for. */
export function describe(error: ApiError): string {
  const code = error.extensions?.code;
  return code ? `${error.message} (${code})` : error.message;
}
