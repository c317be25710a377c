// A tiny element builder: the page is plain DOM, and this keeps building it readable.

/**
 * Creates `<tag>` with attributes and children.
 *
 * @param tag - element name
 * @param attributes - attribute values (strings)
 * @param children - nodes or text
 * @returns the element
 * @example
 * el('button', { class: 'primary', type: 'button' }, ['Play']);
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attributes: Record<string, string> = {}, children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** The element with `id`, or an error naming it (the page's HTML and code must agree). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`playground: no element #${id} in index.html`);
  return node as T;
}
