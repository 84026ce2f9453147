// Every action the engine can write into the audit log is a command or one of ENGINE_AUDIT_ACTIONS,
// so the audit screen has words for it in every language (R4, KRK §5.3.4). The engine's code is
// read with the TypeScript checker, not searched as text: a call counts when it resolves to
// AuditLog.append or HandlerContext.audit, whatever the receiver is called, and its action is read
// from literals, constants, conditionals, spread entries and names narrowed to a command.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENGINE_AUDIT_ACTIONS, isEngineAuditAction } from './audit-actions';
import { COMMAND_NAMES, isCommandName } from './index';

/** What appends an audit entry: calls to these are read (file, the class or interface, the member). */
const WRITERS = [
  { file: 'electron/core/audit/audit-log.ts', owner: 'AuditLog', member: 'append' },
  { file: 'electron/core/dispatcher.ts', owner: 'HandlerContext', member: 'audit' },
] as const;

/** Calls that pass on the entry their own caller gave: those callers are read instead. */
const FORWARDS: Record<string, string> = {
  'electron/core/dispatcher.ts': "HandlerContext.audit's body: its callers are read as calls to HandlerContext.audit",
};

/** Files other than AuditLog that write the audit table directly, and why that is allowed. */
const DIRECT_WRITERS: Record<string, string> = {
  'electron/core/audit/audit-log.ts': 'the log itself',
  'electron/core/audit/fixture-chain.ts': 'synthetic chains for tests and benchmarks only',
};

interface Scan {
  /** Action -> where it is written (file:line). */
  written: Map<string, string[]>;
  /** Writes whose action could not be read, with where and why. */
  unreadable: string[];
  /** Files that write the audit table other than through AuditLog.append. */
  directWriters: string[];
}

function scanEngine(): Scan {
  const configFile = ts.findConfigFile(ts.sys.getCurrentDirectory(), ts.sys.fileExists, 'electron/core/tsconfig.json');
  if (!configFile) throw new Error('electron/core/tsconfig.json not found above the working directory');
  const root = configFile.slice(0, -'electron/core/tsconfig.json'.length);
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`${configFile} could not be read`);
  // What the product runs: tests and their helpers (testing/) write into test databases only.
  const files = parsed.fileNames.filter((f) => !/\.test\.tsx?$/.test(f) && !f.includes('/testing/'));
  const program = ts.createProgram({ rootNames: files, options: { ...parsed.options, noEmit: true, composite: false, declaration: false, emitDeclarationOnly: false } });
  const checker = program.getTypeChecker();
  const rel = (file: string) => file.slice(root.length);

  const isWriter = (decl: ts.Declaration | undefined): boolean => {
    if (!decl || !(ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl) || ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl))) return false;
    const owner = decl.parent;
    const ownerName = (ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner)) && owner.name ? owner.name.text : '';
    return WRITERS.some((w) => rel(decl.getSourceFile().fileName) === w.file && ownerName === w.owner && decl.name.getText() === w.member);
  };

  const literalsOf = (type: ts.Type): string[] | null => {
    const parts = type.isUnion() ? type.types : [type];
    return parts.every((p) => p.isStringLiteral()) ? parts.map((p) => (p as ts.StringLiteralType).value) : null;
  };
  const actionsOf = (expr: ts.Expression): string[] | null => {
    if (ts.isStringLiteralLike(expr)) return [expr.text];
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) return actionsOf(expr.expression);
    if (ts.isConditionalExpression(expr)) {
      const a = actionsOf(expr.whenTrue);
      const b = actionsOf(expr.whenFalse);
      return a && b ? [...a, ...b] : null;
    }
    // A constant, or a name the code has narrowed (the dispatcher's command name).
    return literalsOf(checker.getTypeAtLocation(expr));
  };
  const objectOf = (expr: ts.Expression): ts.ObjectLiteralExpression | null => {
    if (ts.isObjectLiteralExpression(expr)) return expr;
    if (ts.isParenthesizedExpression(expr)) return objectOf(expr.expression);
    if (ts.isIdentifier(expr)) {
      const decl = checker.getSymbolAtLocation(expr)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const) return objectOf(decl.initializer);
    }
    return null;
  };
  type Read = { actions: string[] } | { forward: true } | { why: string };
  const readEntry = (expr: ts.Expression): Read | null => {
    const entry = objectOf(expr);
    if (!entry) return { why: 'the entry is not an object literal or a constant holding one' };
    // The last `action` wins, as at run time.
    for (const p of [...entry.properties].reverse()) {
      if (ts.isPropertyAssignment(p) && p.name.getText() === 'action') {
        const actions = actionsOf(p.initializer);
        return actions ? { actions } : { why: `the action \`${p.initializer.getText()}\` is not a string literal or a union of them` };
      }
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'action') {
        const actions = actionsOf(p.name);
        return actions ? { actions } : { why: 'the action is not a string literal or a union of them' };
      }
      if (ts.isSpreadAssignment(p)) {
        if (!checker.getTypeAtLocation(p.expression).getProperty('action')) continue;
        if (objectOf(p.expression)) {
          const inner = readEntry(p.expression);
          if (inner) return inner;
          continue;
        }
        const symbol = checker.getSymbolAtLocation(p.expression);
        if (symbol?.valueDeclaration && ts.isParameter(symbol.valueDeclaration)) return { forward: true };
        return { why: `the action comes from \`...${p.expression.getText()}\`` };
      }
    }
    return null;
  };

  const written = new Map<string, string[]>();
  const unreadable: string[] = [];
  const directWriters: string[] = [];
  for (const sf of program.getSourceFiles()) {
    if (!files.includes(sf.fileName)) continue;
    const file = rel(sf.fileName);
    if (/insertInto\(\s*['"]audit_log['"]|insert\s+into\s+audit_log\b/i.test(sf.text) && !(file in DIRECT_WRITERS)) directWriters.push(file);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isWriter(checker.getResolvedSignature(node)?.getDeclaration())) {
        const where = `${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const arg = node.arguments[0];
        const read = arg ? (readEntry(arg) ?? { why: 'the entry names no action' }) : { why: 'no entry is passed' };
        if ('actions' in read) for (const a of read.actions) written.set(a, [...(written.get(a) ?? []), where]);
        else if ('forward' in read && file in FORWARDS) written.set('(forwarded)', [...(written.get('(forwarded)') ?? []), where]);
        else unreadable.push(`${where}: ${'why' in read ? read.why : 'it passes on its caller’s entry; list it in FORWARDS and read its callers'}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { written, unreadable, directWriters };
}

describe('audit actions', () => {
  it('the engine’s own actions are listed once and are no command’s name', () => {
    expect(new Set(ENGINE_AUDIT_ACTIONS).size).toBe(ENGINE_AUDIT_ACTIONS.length);
    expect(ENGINE_AUDIT_ACTIONS.filter((a) => isCommandName(a))).toEqual([]);
    expect(isEngineAuditAction('engine.started')).toBe(true);
    expect(isEngineAuditAction('users.create')).toBe(false);
  });

  describe('read from electron/core', () => {
    let scan: Scan | null = null;
    const engine = (): Scan => (scan ??= scanEngine());

    it('every action written is a command or listed in ENGINE_AUDIT_ACTIONS (file named)', () => {
      const { written } = engine();
      const unlisted = [...written]
        .filter(([action]) => action !== '(forwarded)' && !isCommandName(action) && !isEngineAuditAction(action))
        .map(([action, where]) => `${action} written at ${where.join(', ')}: add it to ENGINE_AUDIT_ACTIONS and word it in renderer/i18n/locales/audit`);
      expect(unlisted).toEqual([]);
    }, 180_000);

    it('every write is understood: no action the scan cannot read, no other way into the audit table', () => {
      const { unreadable, directWriters } = engine();
      expect(unreadable).toEqual([]);
      expect(directWriters).toEqual([]);
    }, 180_000);

    it('every listed action is still written somewhere (no stale entry)', () => {
      const { written } = engine();
      expect(ENGINE_AUDIT_ACTIONS.filter((a) => !written.has(a))).toEqual([]);
    }, 180_000);

    it('the scan reads each way an action is written: a literal, a constant, a conditional, a spread entry, the command name, a handler’s entry', () => {
      const { written } = engine();
      const at = (action: string) => (written.get(action) ?? []).join(' ');
      expect(at('engine.started')).toContain('electron/core/engine.ts');
      expect(at('audit.break_acknowledged')).toContain('electron/core/audit/anchor-guard.ts');
      expect(at('exports.cancelled')).toContain('electron/core/exports/export-production.ts');
      expect(at('exports.productionFailed')).toContain('electron/core/exports/export-production.ts');
      expect(at('seats.register')).toContain('electron/core/seats/seats-service.ts');
      expect(at('auth.lockout')).toContain('electron/core/auth/handlers.ts');
      expect(at('(forwarded)')).toContain('electron/core/dispatcher.ts');
      // A refused call is audited under its command's name, for every command (even one whose own
      // calls are not audited): so every command is an action the screen must word.
      expect(COMMAND_NAMES.filter((name) => !at(name).includes('electron/core/dispatcher.ts'))).toEqual([]);
    }, 180_000);
  });
});
