import { alterTable, constraintsOf, displayName, keyOf, strings, type Constraint, type QualifiedName } from '../ast.js';
import type { Rule, RuleContext } from '../rule-context.js';

/** Constraints added to existing tables: NOT VALID first, unique indexes built concurrently, NOT NULL through a CHECK. */
export const constraintRules: Rule = (ctx) => {
  const alter = alterTable(ctx.node);
  if (!alter) return;
  const { table } = alter;
  for (const cmd of alter.cmds) {
    const def = cmd.def;
    switch (cmd.subtype) {
      case 'AT_AddConstraint':
        if (def && 'Constraint' in def) addedConstraint(ctx, table, def.Constraint);
        break;
      case 'AT_AddColumn':
        if (def && 'ColumnDef' in def) for (const k of constraintsOf(def.ColumnDef.constraints)) addedConstraint(ctx, table, k, def.ColumnDef.colname);
        break;
      case 'AT_SetNotNull':
        if (cmd.name && !ctx.notNullAssured(table, cmd.name)) {
          ctx.blocking('set-not-null', table, `SET NOT NULL on ${cmd.name} scans ${displayName(table)} under an ACCESS EXCLUSIVE lock (no validated CHECK (${cmd.name} IS NOT NULL) exists)`, {
            location: alter.location,
            hint: `Add CHECK (${cmd.name} IS NOT NULL) NOT VALID, VALIDATE it after a \`--> strata:part\` line, then SET NOT NULL (no scan) and drop the check.`,
          });
        }
        break;
      case 'AT_ValidateConstraint':
        if (cmd.name && ctx.part.transactional && addedNotValidEarlierInPart(ctx, table, cmd.name)) {
          ctx.blocking('validate-in-same-transaction', table, `VALIDATE CONSTRAINT ${cmd.name} runs in the same transaction as its ADD … NOT VALID, so the scan happens under the ADD's lock`, {
            location: alter.location, hint: 'Put the VALIDATE after a `--> strata:part` line: it then takes only a SHARE UPDATE EXCLUSIVE lock.',
          });
        }
        break;
      default:
        break;
    }
  }
};

function addedConstraint(ctx: RuleContext, table: QualifiedName, c: Constraint, column?: string): void {
  const location = c.location;
  const what = c.conname ? `constraint ${c.conname}` : column ? `the constraint on ${column}` : 'the constraint';
  switch (c.contype) {
    case 'CONSTR_FOREIGN':
    case 'CONSTR_CHECK':
      if (!c.skip_validation) {
        const kind = c.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK';
        ctx.blocking('constraint-missing-not-valid', table, `${kind} ${what} is validated at once: ${displayName(table)} is scanned under a lock that blocks writes`, {
          location,
          hint: column
            ? `Add the column first, then ADD CONSTRAINT … ${kind} … NOT VALID, and VALIDATE CONSTRAINT after a \`--> strata:part\` line.`
            : `Add it with NOT VALID, then VALIDATE CONSTRAINT after a \`--> strata:part\` line (a SHARE UPDATE EXCLUSIVE lock that lets writes through).`,
        });
      }
      return;
    case 'CONSTR_UNIQUE':
      if (!c.indexname) {
        ctx.blocking('add-unique-constraint', table, `UNIQUE ${what} builds its index under an ACCESS EXCLUSIVE lock on ${displayName(table)}`, {
          location, hint: 'CREATE UNIQUE INDEX CONCURRENTLY (no-transaction part), then ADD CONSTRAINT … UNIQUE USING INDEX.',
        });
      }
      return;
    case 'CONSTR_PRIMARY':
      if (!c.indexname) {
        ctx.blocking('add-primary-key', table, `PRIMARY KEY ${what} builds its index under an ACCESS EXCLUSIVE lock on ${displayName(table)}`, {
          location, hint: 'Make the columns NOT NULL (CHECK … NOT VALID, VALIDATE, SET NOT NULL), CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … PRIMARY KEY USING INDEX.',
        });
        return;
      }
      for (const col of indexColumns(ctx, { schema: table.schema, name: c.indexname })) {
        if (ctx.notNullAssured(table, col)) continue;
        ctx.blocking('add-primary-key', table, `PRIMARY KEY USING INDEX ${c.indexname} makes ${col} NOT NULL, which scans ${displayName(table)} under an ACCESS EXCLUSIVE lock`, {
          location, hint: `First add CHECK (${col} IS NOT NULL) NOT VALID, VALIDATE it, and SET NOT NULL.`,
        });
      }
      return;
    case 'CONSTR_EXCLUSION':
      ctx.blocking('exclusion-constraint', table, `EXCLUDE ${what} builds its index and checks every row of ${displayName(table)} under an ACCESS EXCLUSIVE lock`, {
        location, hint: 'There is no lock-safe way to add an exclusion constraint to a large table: do it in a maintenance window, or enforce the rule another way.',
      });
      return;
    default:
      return;
  }
}

function indexColumns(ctx: RuleContext, index: QualifiedName): string[] {
  return ctx.model.indexes.get(keyOf(index))?.columns ?? ctx.facts?.indexes.get(keyOf(index))?.columns ?? [];
}

/** True when the same part (one transaction) added this constraint NOT VALID before. */
function addedNotValidEarlierInPart(ctx: RuleContext, table: QualifiedName, name: string): boolean {
  return ctx.earlierInPart.some((s) => {
    const alter = alterTable(s.node);
    if (!alter || keyOf(alter.table) !== keyOf(table)) return false;
    return alter.cmds.some((cmd) => cmd.subtype === 'AT_AddConstraint'
      && cmd.def !== undefined && 'Constraint' in cmd.def && cmd.def.Constraint.conname === name && cmd.def.Constraint.skip_validation === true);
  });
}

/** Domain constraints are checked against every column of every table that uses the domain. */
export const domainRules: Rule = (ctx) => {
  if ('AlterDomainStmt' in ctx.node) {
    const s = ctx.node.AlterDomainStmt;
    const def = s.def;
    if (s.subtype === 'C' && def && 'Constraint' in def && !def.Constraint.skip_validation) {
      ctx.report('domain-constraint', 'warning', `ALTER DOMAIN ${strings(s.typeName).join('.')} ADD CONSTRAINT checks every column that uses the domain, locking each table`, {
        location: def.Constraint.location, hint: 'Add it NOT VALID, then VALIDATE CONSTRAINT after a `--> strata:part` line.',
      });
    }
    return;
  }
  if ('CreateDomainStmt' in ctx.node) {
    const s = ctx.node.CreateDomainStmt;
    const check = constraintsOf(s.constraints).find((c) => c.contype === 'CONSTR_CHECK');
    if (check) {
      ctx.report('domain-constraint', 'warning', `domain ${strings(s.domainname).join('.')} has a CHECK: changing it later must validate every column that uses the domain`, {
        location: check.location, hint: 'Prefer a plain type with a CHECK constraint on each table (which can be added NOT VALID).',
      });
    }
  }
};
