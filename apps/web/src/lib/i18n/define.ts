/**
 * A set of texts in English and Russian; Russian must have exactly the English keys, so a
 * missing translation fails the type check rather than showing a key on a screen.
 */
export function defineMessages<const K extends string>(messages: {
  en: Record<K, string>;
  ru: Record<NoInfer<K>, string>;
}): { en: Record<K, string>; ru: Record<K, string> } {
  return messages;
}
