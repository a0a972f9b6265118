import { DomainError } from '../errors/domain-error';
import { loadConfig } from './app-config';

const base = { NEO4J_URI: 'bolt://localhost:1' };

/** The error loadConfig throws for `env`; fails the test when it accepts it. */
function refused(env: Record<string, string>): DomainError {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('loadConfig: blast radius depths', () => {
  it('defaults to 50 hops, at most 100', () => {
    expect(loadConfig(base).impact).toMatchObject({ defaultMaxDepth: 50, maxDepth: 100 });
  });

  it('takes a default depth up to and equal to the maximum', () => {
    expect(loadConfig({ ...base, SVCMAP_BLAST_DEFAULT_DEPTH: '8', SVCMAP_BLAST_MAX_DEPTH: '8' }).impact).toMatchObject({ defaultMaxDepth: 8, maxDepth: 8 });
    expect(loadConfig({ ...base, SVCMAP_BLAST_DEFAULT_DEPTH: '100' }).impact).toMatchObject({ defaultMaxDepth: 100, maxDepth: 100 });
  });

  it('refuses a default depth above the maximum, naming both settings', () => {
    const error = refused({ SVCMAP_BLAST_DEFAULT_DEPTH: '60', SVCMAP_BLAST_MAX_DEPTH: '40' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error.details).toMatchObject({ field: 'SVCMAP_BLAST_DEFAULT_DEPTH' });
    expect(error.message).toBe(
      'Invalid input: SVCMAP_BLAST_DEFAULT_DEPTH: must not exceed SVCMAP_BLAST_MAX_DEPTH: the default depth (60) is above the most a caller may ask for (40); ' +
        'lower SVCMAP_BLAST_DEFAULT_DEPTH or raise SVCMAP_BLAST_MAX_DEPTH',
    );
  });

  it('says which side is the built-in default when only one setting is given', () => {
    expect(refused({ SVCMAP_BLAST_MAX_DEPTH: '30' }).message).toContain('the default depth (50, its default) is above the most a caller may ask for (30)');
    expect(refused({ SVCMAP_BLAST_DEFAULT_DEPTH: '101' }).message).toContain('the default depth (101) is above the most a caller may ask for (100, its default)');
  });

  it('still names a malformed depth setting by itself first', () => {
    expect(refused({ SVCMAP_BLAST_MAX_DEPTH: 'deep' }).message).toBe("Invalid input: SVCMAP_BLAST_MAX_DEPTH: must be a whole number from 1 to 1000, got 'deep'");
  });
});

describe('loadConfig: the topology index', () => {
  it('uses the plugin when Neo4j has it unless told off', () => {
    expect(loadConfig(base).neo4j.topologyIndex).toBe('auto');
    expect(loadConfig({ ...base, SVCMAP_TOPOLOGY_INDEX: 'off' }).neo4j.topologyIndex).toBe('off');
  });

  it('refuses any other value, naming the setting and the choices', () => {
    const error = refused({ SVCMAP_TOPOLOGY_INDEX: 'yes' });
    expect(error.details).toMatchObject({ field: 'SVCMAP_TOPOLOGY_INDEX' });
    expect(error.message).toContain("must be one of auto, off, got 'yes'");
  });
});
