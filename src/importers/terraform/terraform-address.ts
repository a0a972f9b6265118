/**
 * Terraform addresses, as the state file writes them:
 * `module.app["eu"].module.db[0].aws_db_instance.main[1]`. A module call or
 * a resource may carry an instance key: a number (count) or a quoted string
 * (for_each). Quoted keys may hold dots and brackets, so addresses are read
 * with a small tokenizer rather than split on dots.
 */
export type InstanceKey = number | string;

export interface ModuleStep {
  name: string;
  key?: InstanceKey;
}

export interface ResourceAddress {
  modules: ModuleStep[];
  mode: 'managed' | 'data';
  type: string;
  name: string;
  key?: InstanceKey;
}

/** `[0]` or `["eu-west-1"]`, the way Terraform prints an instance key. */
export function formatKey(key: InstanceKey | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

export function formatModules(modules: ModuleStep[], withKeys = true): string {
  return modules.map((m) => `module.${m.name}${withKeys ? formatKey(m.key) : ''}`).join('.');
}

export function formatAddress(address: ResourceAddress, withKeys = true): string {
  const parts = [];
  if (address.modules.length) parts.push(formatModules(address.modules, withKeys));
  if (address.mode === 'data') parts.push('data');
  parts.push(`${address.type}.${address.name}${withKeys ? formatKey(address.key) : ''}`);
  return parts.join('.');
}

class Reader {
  private index = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.index >= this.text.length;
  }

  peek(): string {
    return this.text[this.index] ?? '';
  }

  /** An identifier: letters, digits, `_` and `-` (Terraform names). */
  name(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.index));
    if (!match) throw new Error(`expected a name at position ${this.index + 1}`);
    this.index += match[0].length;
    return match[0];
  }

  expect(char: string): void {
    if (this.text[this.index] !== char) throw new Error(`expected '${char}' at position ${this.index + 1}`);
    this.index++;
  }

  /** An optional `[0]` or `["key"]`. */
  key(): InstanceKey | undefined {
    if (this.peek() !== '[') return undefined;
    this.index++;
    let key: InstanceKey;
    if (this.peek() === '"') {
      let end = this.index + 1;
      while (end < this.text.length && this.text[end] !== '"') end += this.text[end] === '\\' ? 2 : 1;
      key = JSON.parse(this.text.slice(this.index, end + 1)) as string;
      this.index = end + 1;
    } else {
      const match = /^\d+/.exec(this.text.slice(this.index));
      if (!match) throw new Error(`expected a number or a quoted string at position ${this.index + 1}`);
      key = Number(match[0]);
      this.index += match[0].length;
    }
    this.expect(']');
    return key;
  }
}

/** Parses a module instance path such as `module.app["eu"].module.db`; empty for the root module. */
export function parseModulePath(text: string): ModuleStep[] {
  if (!text) return [];
  const reader = new Reader(text);
  const steps: ModuleStep[] = [];
  for (;;) {
    if (reader.name() !== 'module') throw new Error(`'${text}' is not a module path`);
    reader.expect('.');
    steps.push({ name: reader.name(), key: reader.key() });
    if (reader.done()) return steps;
    reader.expect('.');
  }
}

/** Parses a resource address (with or without module path, data prefix and instance key). */
export function parseResourceAddress(text: string): ResourceAddress {
  const reader = new Reader(text);
  const modules: ModuleStep[] = [];
  let word = reader.name();
  while (word === 'module') {
    reader.expect('.');
    modules.push({ name: reader.name(), key: reader.key() });
    reader.expect('.');
    word = reader.name();
  }
  let mode: ResourceAddress['mode'] = 'managed';
  if (word === 'data') {
    mode = 'data';
    reader.expect('.');
    word = reader.name();
  }
  reader.expect('.');
  const name = reader.name();
  const key = reader.key();
  if (!reader.done()) throw new Error(`unexpected '${reader.peek()}' after the resource name`);
  return { modules, mode, type: word, name, key };
}
