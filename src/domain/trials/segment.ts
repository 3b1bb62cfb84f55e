/**
 * Segmentation of a ClinicalTrials.gov `eligibilityCriteria` string into items with character spans
 * (trial-eligibility.md B parsing note 1, E.7 step 2). The text is Markdown-like and inconsistent across eras, so
 * segmentation never drops text: every non-blank, non-header character ends up in exactly one item (or a legacy
 * sub-label), and each item keeps its span in the original string so the UI can highlight it.
 *
 * Handles: `Inclusion Criteria:` / `Exclusion Criteria:` headers (also inline, as mirrors flatten them), `* ` / `- `
 * bullets nested by indentation, numbered lists whose numbering restarts for sub-items (CT.gov Markdown loses the
 * indentation), backslash escapes (`\>=`, `\<`, `\[`), legacy blocks (`DISEASE CHARACTERISTICS:` …) with
 * sub-labels (`Age:`) and hard-wrapped lines, staged criteria (`Registration Criteria:` then `Inclusion Criteria:`
 * for randomization, NCT03643133), bullets flattened onto one line (" * "), and legacy text flattened into one
 * run-on line (NCT00023998), which is split before each capitalised criterion start.
 */

export type ItemKind = 'inclusion' | 'exclusion';

export interface CriteriaItem {
  /** `in3`, `ex1`; sub-items `in3.1`. Stable for the same text. */
  readonly id: string;
  readonly kind: ItemKind;
  /** The header the item sits under ("Inclusion Criteria", "PATIENT CHARACTERISTICS"), or null. */
  readonly section: string | null;
  /** For staged criteria: the stage header ("Registration Criteria"); null when the text has no stages. */
  readonly stage: string | null;
  /** Legacy sub-label the item sits under ("Age", "Performance status"), or null. */
  readonly label: string | null;
  readonly parentId: string | null;
  readonly depth: number;
  /** Display text: bullet marker removed, backslash escapes undone, whitespace (and hard wraps) collapsed. */
  readonly text: string;
  /** The original characters, `criteriaText.slice(start, end)`. */
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

interface Header { name: string; kind: ItemKind; staged: boolean }

const HEADER = /^(?:#+\s*|\*\*\s*)?((?:key\s+)?(?:inclusion|exclusion|eligibility)(?:\s+(?:criteria|criterion|requirements))?(?:\s+(?:for|at)\s+[^:]{1,60})?)\s*:?\s*(?:\*\*)?$/i;
const STAGE_HEADER = /^(?:#+\s*|\*\*\s*)?((?:pre-?)?(?:registration|randomi[sz]ation|enrol?lment|screening|step\s*\d+|stage\s*\d+|part\s*[a-z0-9]+)\s+(?:criteria|eligibility(?:\s+criteria)?)(?:\s+(?:for|at)\s+[^:]{1,60})?)\s*:?\s*(?:\*\*)?$/i;
/** Legacy all-caps block headers: "DISEASE CHARACTERISTICS:", "PRIOR CONCURRENT THERAPY:". */
const LEGACY_HEADER = /^([A-Z][A-Z ,/&()-]{4,60}):\s*$/;
/** Headers that mirrors run into the following text ("Inclusion Criteria: * Patients …"). */
const INLINE_HEADER = /(?:^|(?<=\s))((?:inclusion|exclusion|registration|randomi[sz]ation|eligibility)\s+criteria|DISEASE CHARACTERISTICS|PATIENT CHARACTERISTICS|PRIOR CONCURRENT THERAPY)\s*:/gi;
/** Legacy sub-label alone on its line ("Age:", "Performance status:", "Hepatic:"). */
const LABEL = /^([A-Z][A-Za-z/&,-]*(?: [A-Za-z/&,-]+){0,4}):$/;
const BULLET = /^([ \t]*)(?:([*\-•+])|(\d{1,2})[.)]|([a-z])[.)]|\(([ivx]{1,4}|[a-z]|\d{1,2})\))[ \t]+(?=\S)/;

/** Capitalised words that start proper names, not criteria, in run-on legacy text. */
const PROPER_NOUNS = new Set(['Paget', "Paget's", 'Ewing', "Ewing's", 'Karnofsky', 'Lansky', 'Wilms', 'Hodgkin', 'Down', 'Fanconi', 'Li-Fraumeni', 'Children', "Children's", 'Oncology', 'Group', 'Appendix', 'Table', 'Section']);
/** Acronyms that begin a criterion in run-on legacy text ("… times normal SGPT ≤ 3 times normal"). */
const LEAD_ACRONYMS = new Set(['HIV', 'SGPT', 'SGOT', 'ALT', 'AST', 'ANC', 'ECOG', 'WBC', 'LVEF', 'MUGA', 'QTc']);
/** A run-on line this long, without sentence punctuation, is legacy text that lost its line breaks. */
const RUN_ON_MIN = 200;

interface VLine {
  start: number;
  end: number;
  blankBefore: boolean;
  /** Produced by splitting a flattened line: indentation carries no meaning. */
  flat: boolean;
}

interface Building {
  id: string;
  kind: ItemKind;
  section: string | null;
  stage: string | null;
  label: string | null;
  parent: Building | null;
  depth: number;
  start: number;
  end: number;
  /** Content indentation (for continuation lines); -1 for flat items. */
  indent: number;
  marker: 'star' | 'num' | 'alpha' | 'roman' | 'plain';
  number: number | null;
  children: number;
}

/**
 * Splits criteria text into items (trial-eligibility.md E.7 step 2). Deterministic: the same text gives the same
 * ids and spans. Sub-bullets are separate items with `parentId`.
 */
export function segmentCriteria(text: string): CriteriaItem[] {
  const vlines = virtualLines(text);
  const out: Building[] = [];
  let section: string | null = null;
  let kind: ItemKind = 'inclusion';
  let stage: string | null = null;
  let staged = false;
  let label: string | null = null;
  const counters = { inclusion: 0, exclusion: 0 };
  let current: Building | null = null;
  // Indentation stack of open bullet items.
  let stack: Building[] = [];
  // Numbered sub-list whose numbering restarted at 1 under a numbered parent.
  let sub: { parent: Building; next: number; indent: number } | null = null;
  // A plain (unbulleted) item ending with ":" takes the following plain lines as children.
  let plainParent: Building | null = null;

  const newItem = (start: number, end: number, parent: Building | null, indent: number, marker: Building['marker'], number: number | null): Building => {
    let id: string;
    if (parent) {
      parent.children++;
      id = `${parent.id}.${parent.children}`;
    } else {
      counters[kind]++;
      id = `${kind === 'inclusion' ? 'in' : 'ex'}${counters[kind]}`;
    }
    const b: Building = { id, kind, section, stage, label, parent, depth: parent ? parent.depth + 1 : 0, start, end, indent, marker, number, children: 0 };
    out.push(b);
    current = b;
    return b;
  };
  const resetNesting = () => { current = null; stack = []; sub = null; plainParent = null; };

  for (const v of vlines) {
    const line = text.slice(v.start, v.end);
    const trimmed = line.trim();
    const header = headerOf(trimmed);
    if (header) {
      if (header.staged) { staged = true; stage = header.name; }
      else if (staged && header.kind === 'inclusion') stage = header.name;
      section = header.name;
      kind = header.kind;
      label = null;
      resetNesting();
      continue;
    }
    const bullet = BULLET.exec(line);
    const open = current as Building | null;
    if (!bullet && LABEL.test(trimmed) && trimmed.length <= 40 && !/\d/.test(trimmed) && (v.blankBefore || open === null || /[.;:]$/.test(text.slice(open.start, open.end).trimEnd()) || v.flat)) {
      label = trimmed.slice(0, -1);
      resetNesting();
      continue;
    }
    if (bullet) {
      const indent = v.flat ? -1 : widthOf(bullet[1] ?? '');
      const marker: Building['marker'] = bullet[2] ? 'star' : bullet[3] ? 'num' : bullet[4] ? 'alpha' : 'roman';
      const number = bullet[3] ? Number(bullet[3]) : null;
      const contentStart = v.start + bullet[0].length;
      const contentEnd = trimEnd(text, contentStart, v.end);
      plainParent = null;
      let parent: Building | null = null;
      if (v.flat) {
        parent = flatParent(text, current);
      } else {
        while (stack.length > 0 && stack[stack.length - 1]!.indent > indent) stack.pop();
        const top = stack[stack.length - 1];
        if (sub && sub.indent === indent && marker === 'num') {
          if (number === sub.next) { parent = sub.parent; sub.next++; }
          else { sub = null; }
        }
        if (!parent && top && top.indent === indent) {
          // Numbering that restarts at 1 under a numbered item is a sub-list (CT.gov drops the indentation).
          if (marker === 'num' && number === 1 && top.marker === 'num' && (top.number ?? 0) >= 1) {
            parent = top;
            sub = { parent: top, next: 2, indent };
          } else if (marker !== top.marker && endsWithColon(text, top)) {
            parent = top;
          } else {
            stack.pop();
            parent = stack[stack.length - 1] ?? null;
            if (parent && parent.indent >= indent) parent = null;
          }
        } else if (!parent && top && top.indent < indent) {
          parent = top;
        }
      }
      const b = newItem(contentStart, contentEnd, parent, indent, marker, number);
      if (!v.flat) {
        // Children of a restarted sub-list stay off the stack so the parent's numbering can resume.
        if (!(sub && parent === sub.parent)) stack.push(b);
      }
      continue;
    }
    // Plain text line: a continuation of the current item, or an item of its own.
    const lineIndent = widthOf(/^[ \t]*/.exec(line)![0]);
    const cur = current as Building | null;
    if (cur && !v.blankBefore && !v.flat && isContinuation(text, cur, trimmed, lineIndent)) {
      cur.end = trimEnd(text, v.start, v.end);
      continue;
    }
    const start = v.start + (line.length - line.trimStart().length);
    const end = trimEnd(text, start, v.end);
    let parent: Building | null = null;
    if (v.flat) parent = flatParent(text, cur);
    else if (plainParent && (plainParent.children === 0 || !v.blankBefore)) parent = plainParent;
    stack = [];
    sub = null;
    const b = newItem(start, end, parent, v.flat ? -1 : lineIndent, 'plain', null);
    if (!v.flat) {
      if (parent === null) plainParent = endsWithColon(text, b) ? b : null;
    }
  }

  return out.map((b) => ({
    id: b.id, kind: b.kind, section: b.section, stage: b.stage, label: b.label, parentId: b.parent?.id ?? null,
    depth: b.depth, text: displayText(text.slice(b.start, b.end)), raw: text.slice(b.start, b.end), start: b.start, end: b.end,
  }));
}

/** Undoes CT.gov Markdown escapes (`\>=` → `>=`) and collapses whitespace, hard wraps included. */
export function displayText(raw: string): string {
  return raw.replace(/\\([\\`*_{}[\]()#+\-.!<>=^~|])/g, '$1').replace(/\s+/g, ' ').trim();
}

function headerOf(s: string): Header | null {
  if (s === '') return null;
  let m = STAGE_HEADER.exec(s);
  if (m) return { name: tidyHeader(m[1]!), kind: /exclu/i.test(m[1]!) ? 'exclusion' : 'inclusion', staged: true };
  m = HEADER.exec(s);
  if (m) return { name: tidyHeader(m[1]!), kind: /exclu/i.test(m[1]!) ? 'exclusion' : 'inclusion', staged: false };
  m = LEGACY_HEADER.exec(s);
  if (m && /[A-Z]{4}/.test(m[1]!) && m[1]!.trim().includes(' ')) {
    return { name: m[1]!.trim(), kind: /EXCLU/.test(m[1]!) ? 'exclusion' : 'inclusion', staged: false };
  }
  return null;
}

function tidyHeader(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/^./, (c) => c.toUpperCase());
}

/** Flattened bullets: a colon-ended item takes the next item; further ones while the previous child ends in "or"/"and"/","/";". */
function flatParent(text: string, cur: Building | null): Building | null {
  if (!cur) return null;
  if (cur.parent === null) return endsWithColon(text, cur) ? cur : null;
  const tail = text.slice(cur.start, cur.end).trimEnd();
  return /(?:\b(?:or|and|and\/or)|[,;])$/i.test(tail) ? cur.parent : (endsWithColon(text, cur) ? cur : null);
}

function endsWithColon(text: string, b: Building): boolean {
  return text.slice(b.start, b.end).trimEnd().endsWith(':');
}

/**
 * A plain line continues the current item when it is a hard wrap: it starts in lower case (or with a closing
 * bracket, digit or operator), or the previous line ran long without ending a sentence, or it is indented under a
 * bullet's text.
 */
function isContinuation(text: string, cur: Building, trimmed: string, indent: number): boolean {
  const prevLineStart = text.lastIndexOf('\n', cur.end - 1) + 1;
  const prevLine = text.slice(Math.max(prevLineStart, cur.start), cur.end).trimEnd();
  const prevFull = text.slice(prevLineStart, cur.end);
  if (/^[a-z(\[)\]0-9≥≤<>=%,;&]/.test(trimmed)) return true;
  if (cur.marker !== 'plain' && cur.indent >= 0 && indent > cur.indent) return true;
  return prevFull.length >= 60 && !/[.;:!?]$/.test(prevLine);
}

/** Physical lines, with inline headers, flattened bullets and run-on legacy text split into virtual lines. */
function virtualLines(text: string): VLine[] {
  const out: VLine[] = [];
  let pos = 0;
  let blank = false;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let end = nl;
    if (end > pos && text[end - 1] === '\r') end--;
    if (text.slice(pos, end).trim() === '') {
      blank = true;
    } else {
      splitLine(text, pos, end, blank, out);
      blank = false;
    }
    pos = nl + 1;
  }
  return out;
}

function splitLine(text: string, start: number, end: number, blankBefore: boolean, out: VLine[]): void {
  const line = text.slice(start, end);
  // Inline headers: "Inclusion Criteria: Histologically confirmed …".
  const cuts: Array<{ at: number; header: boolean; headerEnd?: number }> = [];
  INLINE_HEADER.lastIndex = 0;
  for (let m = INLINE_HEADER.exec(line); m; m = INLINE_HEADER.exec(line)) {
    const at = m.index + (m[0].length - m[0].trimStart().length);
    if (line.slice(0, at).trim() !== '' || line.slice(m.index + m[0].length).trim() !== '') {
      cuts.push({ at, header: true, headerEnd: m.index + m[0].length });
    }
  }
  if (cuts.length === 0) {
    splitBullets(text, start, end, blankBefore, false, out);
    return;
  }
  let cursor = 0;
  let first = true;
  for (const c of cuts) {
    if (line.slice(cursor, c.at).trim() !== '') splitBullets(text, start + cursor, start + c.at, first && blankBefore, true, out);
    out.push({ start: start + c.at, end: start + c.headerEnd!, blankBefore: first && blankBefore, flat: true });
    cursor = c.headerEnd!;
    first = false;
  }
  if (line.slice(cursor).trim() !== '') splitBullets(text, start + cursor, end, false, true, out);
}

/** Bullets flattened onto one line (" * a * b"), else run-on legacy text, else the line as it is. */
function splitBullets(text: string, start: number, end: number, blankBefore: boolean, flat: boolean, out: VLine[]): void {
  const line = text.slice(start, end);
  const marks: number[] = [];
  const re = /(?<=\S)\s+\*\s+(?=\S)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) marks.push(m.index + m[0].indexOf('*'));
  if (marks.length >= 2 || (marks.length >= 1 && /^\s*\*\s/.test(line))) {
    let cursor = 0;
    for (const at of marks) {
      if (line.slice(cursor, at).trim() !== '') out.push({ start: start + cursor + lead(line, cursor), end: start + at, blankBefore: blankBefore && cursor === 0, flat: true });
      cursor = at;
    }
    out.push({ start: start + cursor, end, blankBefore: false, flat: true });
    return;
  }
  const runOn = runOnCuts(line);
  if (runOn.length > 0) {
    let cursor = 0;
    for (const at of [...runOn, line.length]) {
      const s = cursor + lead(line, cursor);
      if (at > s) out.push({ start: start + s, end: start + at, blankBefore: blankBefore && cursor === 0, flat: true });
      cursor = at;
    }
    return;
  }
  out.push({ start, end, blankBefore, flat });
}

function lead(line: string, from: number): number {
  let i = from;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i - from;
}

/**
 * Where run-on legacy text (criteria whose line breaks were lost, NCT00023998) starts a new criterion: before a
 * capitalised word (or a lab acronym) that follows a word ending in lower case, a digit, ")", "%" or ":". Only
 * for long lines without sentence punctuation, and only when it finds at least three such starts.
 */
function runOnCuts(line: string): number[] {
  if (line.length < RUN_ON_MIN || /[.;]\s/.test(line)) return [];
  const cuts: number[] = [];
  const re = /(\S+)\s+(?=([A-Z][A-Za-z'’-]*))/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const prev = m[1]!;
    const word = m[2]!.replace(/[’']s$/, "'s");
    const at = m.index + m[0].length;
    const prevOk = (/[a-z0-9%)\]:]$/.test(prev) && /^[a-z0-9(≥≤<>]/.test(prev)) || /^[A-Z0-9-]{2,}$/.test(prev);
    const capitalised = /^[A-Z][a-z]/.test(word) && !PROPER_NOUNS.has(word);
    const acronym = LEAD_ACRONYMS.has(word);
    if (prevOk && (capitalised || acronym) && !/^(?:of|or|and|with|the|by|to|for|in|on|at|a|an|as)$/.test(prev)) cuts.push(at);
  }
  return cuts.length >= 3 ? cuts : [];
}

function widthOf(ws: string): number {
  let w = 0;
  for (const c of ws) w += c === '\t' ? 4 : 1;
  return w;
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1]!)) e--;
  return e;
}
