/** `['participants', 0, 'plan']` → `participants[0].plan`; the root is `(root)`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else {
      const name = String(segment);
      text += /^[A-Za-z_$][\w$]*$/.test(name)
        ? `${text === '' ? '' : '.'}${name}`
        : `[${JSON.stringify(name)}]`;
    }
  }
  return text === '' ? '(root)' : text;
}
