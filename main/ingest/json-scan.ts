// Finds the exact source text of each element of one JSON array — top-level, or the value of a
// top-level key such as "Records" — fed in chunks, so files of any size stream in bounded memory and
// every record is stored verbatim (JSON.parse + stringify would change escapes and number formats).

const QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACK = 91, RBRACK = 93, COMMA = 44, COLON = 58;
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;

/** Index just past the string starting at i, or -1 when the buffer ends inside it. */
function skipString(s: string, i: number): number {
  let j = s.indexOf('"', i + 1);
  while (j !== -1) {
    let k = j - 1;
    while (s.charCodeAt(k) === BACKSLASH) k--;
    if ((j - k) % 2 === 1) return j + 1; // an even number of backslashes: the quote is real
    j = s.indexOf('"', j + 1);
  }
  return -1;
}

/** Index just past the value starting at i, or -1 when the buffer ends inside it. */
function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(s, i);
  if (c === LBRACE || c === LBRACK) {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const ch = s.charCodeAt(j);
      if (ch === QUOTE) {
        const end = skipString(s, j);
        if (end === -1) return -1;
        j = end - 1;
      } else if (ch === LBRACE || ch === LBRACK) depth++;
      else if (ch === RBRACE || ch === RBRACK) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  // A scalar ends at the next delimiter; at the buffer's end it may be incomplete.
  for (let j = i; j < s.length; j++) {
    const ch = s.charCodeAt(j);
    if (ch === COMMA || ch === RBRACE || ch === RBRACK || isSpace(ch)) return j;
  }
  return -1;
}

export class JsonStructureError extends Error {}

/** An element (or a wrapper's value) longer than the scanner's limit: where the next record starts cannot be found without reading all of it. */
export class JsonRecordTooLongError extends JsonStructureError {
  constructor(message: string, readonly head: string) { super(message); }
}

type State = 'start' | 'object-key' | 'object-next' | 'array' | 'array-next' | 'after';

export class JsonArrayScanner {
  private buf = '';
  private pos = 0;
  /** Where buf starts in the whole input, in characters. */
  private base = 0;
  private state: State = 'start';
  /** Elements emitted so far. */
  count = 0;

  /**
   * arrayKey null: the document is itself the array. maxChars: the longest value it waits for; one
   * still unfinished past that throws JsonRecordTooLongError (limits.ts), so a monstrous record is
   * neither held whole nor scanned again with every chunk.
   */
  constructor(private readonly arrayKey: string | null, private readonly maxChars = Infinity) {}

  /** The buffer ends inside the value at this.pos: wait for more, unless it is already too long. */
  private incomplete(out: string[]): string[] {
    const pending = this.buf.length - this.pos;
    if (pending > this.maxChars) {
      const what = this.state === 'array' ? `record ${this.count + 1}` : 'a value before the records';
      throw new JsonRecordTooLongError(
        `${what} is longer than ${this.maxChars.toLocaleString('en')} characters (the limit; CloudTrail caps an event at 256 KB): it and the rest of the file are not read, since the next record cannot be found without reading all of it`,
        this.buf.slice(this.pos, this.pos + 1024),
      );
    }
    return out;
  }

  /**
   * Feeds a chunk; returns the complete elements it finished, and adds to `starts` where each begins in
   * the whole input (in characters). Throws JsonStructureError on malformed structure.
   */
  push(chunk: string, starts?: number[]): string[] {
    this.base += Math.min(this.pos, this.buf.length);
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + chunk : chunk;
    this.pos = 0;
    const out: string[] = [];
    const s = this.buf;
    for (;;) {
      let i = this.pos;
      while (i < s.length && isSpace(s.charCodeAt(i))) i++;
      this.pos = i;
      if (i >= s.length) return out;
      const c = s.charCodeAt(i);
      switch (this.state) {
        case 'start':
          if (this.arrayKey === null) {
            if (c !== LBRACK) throw new JsonStructureError('the document is not a JSON array');
            this.state = 'array';
          } else {
            if (c !== LBRACE) throw new JsonStructureError(`the document is not a JSON object with "${this.arrayKey}"`);
            this.state = 'object-key';
          }
          this.pos = i + 1;
          break;
        case 'object-key': {
          if (c === RBRACE) throw new JsonStructureError(`the document has no "${this.arrayKey}" array`);
          if (c !== QUOTE) throw new JsonStructureError(`unexpected "${String.fromCharCode(c)}" where a key was expected`);
          const keyEnd = skipString(s, i);
          if (keyEnd === -1) return this.incomplete(out);
          let j = keyEnd;
          while (j < s.length && isSpace(s.charCodeAt(j))) j++;
          if (j >= s.length) return this.incomplete(out);
          if (s.charCodeAt(j) !== COLON) throw new JsonStructureError('expected ":" after a key');
          j++;
          while (j < s.length && isSpace(s.charCodeAt(j))) j++;
          if (j >= s.length) return this.incomplete(out);
          const key = JSON.parse(s.slice(i, keyEnd)) as string;
          if (key === this.arrayKey && s.charCodeAt(j) === LBRACK) {
            this.state = 'array';
            this.pos = j + 1;
          } else {
            const end = skipValue(s, j);
            if (end === -1) return this.incomplete(out);
            this.state = 'object-next';
            this.pos = end;
          }
          break;
        }
        case 'object-next':
          if (c === COMMA) this.state = 'object-key';
          else if (c === RBRACE) throw new JsonStructureError(`the document has no "${this.arrayKey}" array`);
          else throw new JsonStructureError(`unexpected "${String.fromCharCode(c)}" between keys`);
          this.pos = i + 1;
          break;
        case 'array': {
          if (c === RBRACK && this.count === 0) {
            this.state = 'after';
            this.pos = i + 1;
            break;
          }
          const end = skipValue(s, i);
          if (end === -1) return this.incomplete(out);
          out.push(s.slice(i, end));
          starts?.push(this.base + i);
          this.count++;
          this.state = 'array-next';
          this.pos = end;
          break;
        }
        case 'array-next':
          if (c === COMMA) this.state = 'array';
          else if (c === RBRACK) this.state = 'after';
          else throw new JsonStructureError(`unexpected "${String.fromCharCode(c)}" after record ${this.count}`);
          this.pos = i + 1;
          break;
        case 'after':
          // The rest of the document (other keys of the wrapper object) holds no records.
          this.pos = s.length;
          return out;
      }
    }
  }

  /** Call at the end of input: throws when the array was never closed (a truncated file). */
  end(): void {
    if (this.state !== 'after') {
      const tail = this.buf.slice(this.pos).trim();
      throw new JsonStructureError(
        this.state === 'start' ? 'the file is empty' : `the file ends inside the array after record ${this.count}${tail ? ` (${tail.length} characters of an unfinished record)` : ''}`,
      );
    }
  }
}
