/** Who is making a request: recorded on every write and in history. */
export interface Actor {
  /** API key name, source name, or 'system'. */
  name: string;
  /** A person editing through the API (true) or a discovery job (false). */
  person: boolean;
  /** The key's role (see auth/roles.ts); absent for internal callers. */
  role?: string;
  /** For discovery keys: the source patterns the key may write, e.g. `aws:*`. */
  sources?: string[];
}

export const SYSTEM_ACTOR: Actor = { name: 'system', person: false };
