import { describe, expect, it } from 'vitest';
import { COMMANDS } from './index';

describe('names kept for the engine’s own audit entries', () => {
  it.each(['anonymous', 'System', ' engine-machine '])('no account can be created as %j (it would read as the engine in the audit log)', (name) => {
    const create = COMMANDS['users.create'].request.safeParse({ username: name, displayName: 'X Y', role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [] });
    expect(create.success).toBe(false);
    expect(JSON.stringify(create.error?.issues)).toContain('kept for the engine');
    const setup = COMMANDS['setup.createAdmin'].request.safeParse({ username: name, displayName: 'X Y', password: 'Temporary-Pass-2026' });
    expect(setup.success).toBe(false);
  });

  it('names that only contain them are fine', () => {
    expect(COMMANDS['users.create'].request.safeParse({ username: 'system.admin', displayName: 'X Y', role: 'guard', language: 'en', initialPassword: 'Temporary-Pass-2026', groupIds: [] }).success).toBe(true);
  });
});
