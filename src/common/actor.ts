/** Who is making a change: recorded on every write and, later, in history. */
export interface Actor {
  /** API key name, source name, or 'anonymous'. */
  name: string;
  /** A person editing through the API (true) or a discovery job (false). */
  person: boolean;
}

export const SYSTEM_ACTOR: Actor = { name: 'system', person: false };
