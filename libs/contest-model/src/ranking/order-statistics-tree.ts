interface TreeNode<T> {
  value: T;
  priority: number;
  size: number;
  left: TreeNode<T> | null;
  right: TreeNode<T> | null;
}

/**
 * A sorted multiset with positions: insert, remove, index of a value and the value at an index,
 * each O(log n) expected. A treap whose priorities come from a fixed integer hash of an insertion
 * counter: balanced like a random treap, yet deterministic (no Math.random in the model).
 */
export class OrderStatisticsTree<T> {
  readonly #compare: (a: T, b: T) => number;
  #root: TreeNode<T> | null = null;
  #counter = 0;

  constructor(compare: (a: T, b: T) => number) {
    this.#compare = compare;
  }

  get size(): number {
    return sizeOf(this.#root);
  }

  insert(value: T): void {
    this.#counter += 1;
    const node: TreeNode<T> = {
      value,
      priority: hash32(this.#counter),
      size: 1,
      left: null,
      right: null,
    };
    const [left, right] = this.#split(this.#root, value);
    this.#root = merge(merge(left, node), right);
  }

  /** Removes one value comparing equal to `value`; false when there is none. */
  remove(value: T): boolean {
    let removed = false;
    const remove = (node: TreeNode<T> | null): TreeNode<T> | null => {
      if (node === null) return null;
      const order = this.#compare(value, node.value);
      if (order === 0) {
        removed = true;
        return merge(node.left, node.right);
      }
      if (order < 0) node.left = remove(node.left);
      else node.right = remove(node.right);
      node.size = 1 + sizeOf(node.left) + sizeOf(node.right);
      return node;
    };
    this.#root = remove(this.#root);
    return removed;
  }

  /** Number of values strictly before `value`: its 0-based position when present. */
  indexOf(value: T): number {
    let index = 0;
    let node = this.#root;
    while (node !== null) {
      const order = this.#compare(value, node.value);
      if (order <= 0) {
        node = node.left;
      } else {
        index += sizeOf(node.left) + 1;
        node = node.right;
      }
    }
    return index;
  }

  has(value: T): boolean {
    let node = this.#root;
    while (node !== null) {
      const order = this.#compare(value, node.value);
      if (order === 0) return true;
      node = order < 0 ? node.left : node.right;
    }
    return false;
  }

  /** The value at a 0-based position, or undefined past the end. */
  at(index: number): T | undefined {
    let node = this.#root;
    let remaining = index;
    while (node !== null) {
      const leftSize = sizeOf(node.left);
      if (remaining < leftSize) {
        node = node.left;
      } else if (remaining === leftSize) {
        return node.value;
      } else {
        remaining -= leftSize + 1;
        node = node.right;
      }
    }
    return undefined;
  }

  /** Values at positions [offset, offset + limit), in order: O(log n + limit). */
  slice(offset: number, limit: number): T[] {
    const result: T[] = [];
    const end = offset + limit;
    const visit = (node: TreeNode<T> | null, base: number): void => {
      if (node === null || result.length >= limit) return;
      const nodeIndex = base + sizeOf(node.left);
      if (offset < nodeIndex) visit(node.left, base);
      if (nodeIndex >= offset && nodeIndex < end && result.length < limit) result.push(node.value);
      if (end > nodeIndex + 1) visit(node.right, nodeIndex + 1);
    };
    visit(this.#root, 0);
    return result;
  }

  /** Every value in order. */
  toArray(): T[] {
    return this.slice(0, this.size);
  }

  /** Splits into values < `value` and values ≥ `value`. */
  #split(node: TreeNode<T> | null, value: T): [TreeNode<T> | null, TreeNode<T> | null] {
    if (node === null) return [null, null];
    if (this.#compare(node.value, value) < 0) {
      const [left, right] = this.#split(node.right, value);
      node.right = left;
      node.size = 1 + sizeOf(node.left) + sizeOf(node.right);
      return [node, right];
    }
    const [left, right] = this.#split(node.left, value);
    node.left = right;
    node.size = 1 + sizeOf(node.left) + sizeOf(node.right);
    return [left, node];
  }
}

function sizeOf<T>(node: TreeNode<T> | null): number {
  return node === null ? 0 : node.size;
}

function merge<T>(left: TreeNode<T> | null, right: TreeNode<T> | null): TreeNode<T> | null {
  if (left === null) return right;
  if (right === null) return left;
  if (left.priority > right.priority) {
    left.right = merge(left.right, right);
    left.size = 1 + sizeOf(left.left) + sizeOf(left.right);
    return left;
  }
  right.left = merge(left, right.left);
  right.size = 1 + sizeOf(right.left) + sizeOf(right.right);
  return right;
}

/** A 32-bit integer mix (the finalizer of MurmurHash3): well-spread priorities from a counter. */
function hash32(input: number): number {
  let h = input | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
