/**
 * The `(source, externalId)` keys of the ledger's records, outside the JavaScript heap: the
 * externalIds' UTF-16 code units in one growing buffer, and an open-addressing hash table of
 * record numbers. A million keys take about 35 bytes each (the characters, offset, length, hash
 * and two table slots) and no heap object — a `Map` of strings took about 100 bytes of heap
 * each, scattered among the garbage of the rebuild, so the heap could not shrink back.
 */
export class KeyIndex {
  /**
   * The externalIds' code units, in chunks of CHUNK (one id never straddles two); only the last
   * chunk grows, up to CHUNK: one growing buffer would leave large freed predecessors behind.
   */
  readonly #chunks: Uint16Array[] = [];
  /** Position (chunk × CHUNK + offset) where the next id goes. */
  #charsUsed = 0;
  #start = new Uint32Array(1_024);
  #length = new Uint8Array(1_024);
  #hash = new Int32Array(1_024);
  #source = new Int32Array(1_024);
  #size = 0;
  /** Record number + 1 per slot; 0 is empty. At most half full. */
  #table = new Int32Array(2_048);

  /** The hash of a key, to pass to {@link find} and {@link add}. */
  static hash(source: number, externalId: string): number {
    let hash = source | 0;
    for (let index = 0; index < externalId.length; index += 1) {
      hash = (hash * 1_000_003 + externalId.charCodeAt(index)) | 0;
    }
    return hash;
  }

  /** The record of a key, or -1. */
  find(source: number, externalId: string, hash: number): number {
    const table = this.#table;
    const mask = table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot] as number;
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.#hash[id] === hash && this.#source[id] === source && this.#equals(id, externalId)) {
        return id;
      }
    }
  }

  /** Files record `id` (the next number: records are added in order) under its key. */
  add(id: number, source: number, externalId: string, hash: number): void {
    if (id !== this.#size) throw new RangeError(`record ${id} added out of order`);
    if (externalId.length > 255) throw new RangeError('externalId longer than 255 characters');
    if (id === this.#start.length) this.#growRecords();
    let offset = this.#charsUsed % CHUNK;
    if (this.#chunks.length === 0 || offset + externalId.length > CHUNK) {
      this.#chunks.push(new Uint16Array(4_096));
      offset = 0;
    }
    const chunk = this.#chunks.length - 1;
    let chars = this.#chunks[chunk] as Uint16Array;
    if (offset + externalId.length > chars.length) {
      // The last chunk starts small (a small contest needs little) and doubles up to CHUNK.
      const bigger = new Uint16Array(Math.min(CHUNK, chars.length * 2));
      bigger.set(chars);
      this.#chunks[chunk] = bigger;
      chars = bigger;
    }
    for (let index = 0; index < externalId.length; index += 1) {
      chars[offset + index] = externalId.charCodeAt(index);
    }
    const start = chunk * CHUNK + offset;
    this.#charsUsed = start + externalId.length;
    this.#start[id] = start;
    this.#length[id] = externalId.length;
    this.#hash[id] = hash;
    this.#source[id] = source;
    this.#size += 1;
    if (this.#size * 2 > this.#table.length) this.#rehash(this.#table.length * 2);
    else this.#insert(id);
  }

  /** Order of two records' externalIds, as `<` orders the strings (by UTF-16 code units). */
  compareExternalIds(a: number, b: number): number {
    const charsA = this.#chunks[Math.floor((this.#start[a] as number) / CHUNK)] as Uint16Array;
    const charsB = this.#chunks[Math.floor((this.#start[b] as number) / CHUNK)] as Uint16Array;
    const startA = (this.#start[a] as number) % CHUNK;
    const startB = (this.#start[b] as number) % CHUNK;
    const lengthA = this.#length[a] as number;
    const lengthB = this.#length[b] as number;
    const common = Math.min(lengthA, lengthB);
    for (let index = 0; index < common; index += 1) {
      const difference = (charsA[startA + index] as number) - (charsB[startB + index] as number);
      if (difference !== 0) return difference;
    }
    return lengthA - lengthB;
  }

  externalIdOf(id: number): string {
    const chars = this.#chunks[Math.floor((this.#start[id] as number) / CHUNK)] as Uint16Array;
    const start = (this.#start[id] as number) % CHUNK;
    return String.fromCharCode(...chars.subarray(start, start + (this.#length[id] as number)));
  }

  #equals(id: number, externalId: string): boolean {
    const length = this.#length[id] as number;
    if (length !== externalId.length) return false;
    const chars = this.#chunks[Math.floor((this.#start[id] as number) / CHUNK)] as Uint16Array;
    const start = (this.#start[id] as number) % CHUNK;
    for (let index = 0; index < length; index += 1) {
      if (chars[start + index] !== externalId.charCodeAt(index)) return false;
    }
    return true;
  }

  #insert(id: number): void {
    const table = this.#table;
    const mask = table.length - 1;
    let slot = (this.#hash[id] as number) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = id + 1;
  }

  #rehash(capacity: number): void {
    this.#table = new Int32Array(capacity);
    for (let id = 0; id < this.#size; id += 1) this.#insert(id);
  }

  /** Makes room for `count` keys in all, so that filing them reallocates nothing. */
  reserve(count: number): void {
    if (count > this.#start.length) this.#growRecords(count);
    let table = this.#table.length;
    while (count * 2 > table) table *= 2;
    if (table > this.#table.length) this.#rehash(table);
  }

  #growRecords(atLeast = 0): void {
    const capacity = Math.max(atLeast, Math.ceil(this.#start.length * 1.5));
    const start = new Uint32Array(capacity);
    start.set(this.#start);
    this.#start = start;
    const length = new Uint8Array(capacity);
    length.set(this.#length);
    this.#length = length;
    const hash = new Int32Array(capacity);
    hash.set(this.#hash);
    this.#hash = hash;
    const source = new Int32Array(capacity);
    source.set(this.#source);
    this.#source = source;
  }
}

/** Code units per chunk of externalIds (2 MB). */
const CHUNK = 1 << 20;
