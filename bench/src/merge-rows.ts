import type { BenchReport } from './results.js';
import { isStallRow } from './stall/stall-report.js';
import { issueRef, judgeTargets, targetLine } from './targets.js';

const TABLE_HEADER = '| work | size | Strata | time | peak memory | compared with | time | peak memory | Strata is |';
const FOOTNOTE = /^(\d+)\. (.*)$/;

/** `| title | size |`: what names a row of the table. */
const rowKey = (line: string) => line.split(' | ').slice(0, 2).join(' | ');

/** The number in a size cell (`1,000 tables` → 1000); 0 for a row without a size. */
const sizeOf = (cell: string) => Number(cell.replace(/[^\d]/g, '')) || 0;

/** The main table of a rendered page: the index of its first row and of the line after its last. */
function tableOf(lines: string[]): { first: number; end: number } {
  const header = lines.indexOf(TABLE_HEADER);
  if (header < 0) throw new Error('the page has no results table');
  let end = header + 2;
  while (end < lines.length && lines[end]!.startsWith('| ')) end++;
  return { first: header + 2, end };
}

/** The numbered footnotes right after the table (index: their lines, from `from`). */
function footnotesAt(lines: string[], from: number): { start: number; texts: string[] } {
  const start = lines[from] === '' && FOOTNOTE.test(lines[from + 1] ?? '') ? from + 1 : -1;
  const texts: string[] = [];
  for (let i = start; start >= 0 && i < lines.length && FOOTNOTE.test(lines[i]!); i++) texts.push(FOOTNOTE.exec(lines[i]!)![2]!);
  return { start, texts };
}

/**
 * Puts the ordinary rows of a later, partial run into an existing results page when the full
 * run's JSON is not at hand: each row's line replaces the page's line of the same work and size,
 * or is added among the lines of the same work in order of size (at the end of the table for new work); its
 * footnotes are renumbered into the page's; a "re-measured" line says when, with which build and
 * load, and the page's note on how times are measured is added when it has none. Every other line
 * is kept as it was. Throws when `later` holds write-stall rows (mergeStallSection merges those).
 *
 * @example
 * writeFileSync(md, mergeRowsIntoPage(readFileSync(md, 'utf8'), partialRun, renderMarkdown(partialRun)));
 */
export function mergeRowsIntoPage(page: string, later: BenchReport, laterPage: string): string {
  const stall = later.rows.filter(isStallRow);
  if (stall.length) throw new Error(`cannot merge ${stall.map((r) => r.row).join(', ')} here: the write-stall rows have a section of their own`);
  const lines = page.split('\n');
  const from = laterPage.split('\n');
  const theirs = tableOf(from);
  const theirNotes = footnotesAt(from, theirs.end).texts;
  let table = tableOf(lines);
  const notes = footnotesAt(lines, table.end);
  const added: string[] = [];
  const renumber = (line: string) => line.replace(/\[(\d+)\]/g, (_m, k: string) => {
    const text = theirNotes[Number(k) - 1]!;
    let i = notes.texts.indexOf(text);
    if (i < 0) {
      i = notes.texts.push(text) - 1;
      added.push(text);
    }
    return `[${i + 1}]`;
  });
  for (const line of from.slice(theirs.first, theirs.end)) {
    const merged = renumber(line);
    const key = rowKey(line);
    const same = lines.findIndex((l, i) => i >= table.first && i < table.end && rowKey(l) === key);
    if (same >= 0) {
      lines[same] = merged;
      continue;
    }
    // Among the lines of the same work, in order of size; new work at the end of the table.
    const [title, size] = key.split(' | ') as [string, string];
    let at = table.end;
    for (let i = table.first; i < table.end; i++) {
      const [t, s] = lines[i]!.split(' | ') as [string, string];
      if (t === title) at = sizeOf(s) < sizeOf(size) ? i + 1 : Math.min(at, i);
    }
    lines.splice(at, 0, merged);
    table = { ...table, end: table.end + 1 };
  }
  // New footnotes after the page's own (or a list of their own after the table).
  if (added.length) {
    const first = notes.texts.length - added.length + 1;
    const list = added.map((t, i) => `${first + i}. ${t}`);
    const now = footnotesAt(lines, table.end);
    if (now.start >= 0) lines.splice(now.start + now.texts.length, 0, ...list);
    else lines.splice(table.end, 0, '', ...list);
  }
  // How the times are taken, when the page does not say it yet; then when these rows were measured.
  const firstRow = lines.indexOf(TABLE_HEADER);
  let lastBullet = firstRow;
  while (lastBullet > 0 && !lines[lastBullet]!.startsWith('- ')) lastBullet--;
  const howLine = laterPage.split('\n').find((l) => l.startsWith('- Cold:'));
  if (howLine && !lines.some((l) => l.startsWith('- Cold:'))) lines.splice(++lastBullet, 0, howLine);
  refreshTargets(lines, later);
  const m = later.machine;
  const measured = later.rows.map((r) => `${r.row}${r.size !== null ? `@${r.size}` : ''}`);
  const names = measured.join(', ');
  // An earlier "re-measured" line keeps only the rows this run did not measure again (none: gone).
  for (let i = 0; i < lines.length && i < lastBullet + 1; i++) {
    const line = lines[i]!;
    const cut = line.lastIndexOf('): ');
    if (!line.startsWith('- Re-measured') || line.endsWith('the write-stall rows') || cut < 0) continue;
    const left = line.slice(cut + 3).split(', ').filter((n) => !measured.includes(n));
    if (left.length > 0) lines[i] = `${line.slice(0, cut + 3)}${left.join(', ')}`;
    else {
      lines.splice(i--, 1);
      lastBullet--;
    }
  }
  lines.splice(lastBullet + 1, 0, `- Re-measured ${later.startedAt.slice(0, 16).replace('T', ' ')} UTC (\`--merge\`, Strata ${m.strataRevision ?? 'unknown'}, median of ${later.options.reps} run${later.options.reps > 1 ? 's' : ''}, load ${m.loadAverage.join(' / ')} at start${m.loadAverageEnd ? `, ${m.loadAverageEnd.join(' / ')} at end` : ''}; ${m.postgres}; drizzle-kit ${m.drizzleKit}${m.drizzleKitRc ? ` and ${m.drizzleKitRc}` : ''}): ${names}`);
  return lines.join('\n');
}

/**
 * The targets table's lines that `later`'s rows judge on their own (a target whose rows this run
 * did not measure is left as it was): replaced in place, or added after the last line of an
 * issue numbered at most this one's.
 */
function refreshTargets(lines: string[], later: BenchReport): void {
  const heading = lines.indexOf('## Targets from the issues');
  if (heading < 0) return;
  const issueOf = (line: string) => Number(/^\| #(\d+)/.exec(line)?.[1] ?? Number.NaN);
  for (const v of judgeTargets(later.rows)) {
    if (v.status === 'not measured') continue;
    const start = `| ${issueRef(v)} | ${v.target} |`;
    const text = targetLine(v);
    let end = heading + 1;
    while (end < lines.length && !lines[end]!.startsWith('## ')) end++;
    const same = lines.findIndex((l, i) => i > heading && i < end && l.startsWith(start));
    if (same >= 0) {
      lines[same] = text;
      continue;
    }
    const mine = Array.isArray(v.issue) ? v.issue[0]! : v.issue;
    let at = -1;
    for (let i = heading + 1; i < end; i++) if (issueOf(lines[i]!) <= mine) at = i;
    if (at >= 0) lines.splice(at + 1, 0, text);
  }
}
