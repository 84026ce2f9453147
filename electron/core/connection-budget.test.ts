// The call budget: an anonymous connection is closed after its small budget; a signed-in one has a
// large one; and what a signed-in session spent never counts against the next sign-in at that seat.
import { describe, expect, it } from 'vitest';
import { ConnectionBudget } from './connection-budget';

describe('connection budget', () => {
  const limits = { windowMs: 10_000, anonymousCalls: 30, sessionCalls: 600 };

  it('allows the anonymous budget, then refuses until the window ends', () => {
    let now = 0;
    const b = new ConnectionBudget(() => now, limits);
    for (let i = 0; i < 30; i++) expect(b.take('c', false)).toBe(true);
    expect(b.take('c', false)).toBe(false);
    now = 10_000;
    expect(b.take('c', false)).toBe(true);
  });

  it("a signed-in wall's polls do not use up the next user's sign-in at the same seat", () => {
    const b = new ConnectionBudget(() => 0, limits);
    for (let i = 0; i < 500; i++) expect(b.take('seat', true)).toBe(true);
    // Signed out: the next user signs in on the same connection within the window.
    for (let i = 0; i < 30; i++) expect(b.take('seat', false)).toBe(true);
  });

  it("a seat's connections share a budget a few times one connection's (reconnecting buys no fresh one)", () => {
    const b = new ConnectionBudget(() => 0, limits);
    let allowed = 0;
    for (let c = 0; c < 10; c++) for (let i = 0; i < 30; i++) if (b.take(`c${c}`, false) && b.take('seat:7', false, 3)) allowed += 1;
    expect(allowed).toBe(90);
  });

  it('connections are counted apart, and forgetting one starts it afresh', () => {
    const b = new ConnectionBudget(() => 0, limits);
    for (let i = 0; i < 31; i++) b.take('a', false);
    expect(b.take('a', false)).toBe(false);
    expect(b.take('b', false)).toBe(true);
    b.forget('a');
    expect(b.take('a', false)).toBe(true);
  });
});
