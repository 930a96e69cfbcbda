/** Attributes of {@link h}: strings and booleans become attributes, functions `on…` listeners. */
export type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;
/** What {@link h} takes as children: text is always set as text, never parsed as HTML. */
export type Child = Node | string | number | false | null | undefined | readonly Child[];

/**
 * Creates an element. Every string child becomes a text node, so values from the ledger or a
 * person's wallet can never inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** The element with `id`, or an error naming it (a page's HTML and script disagree). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no element #${id}`);
  return element as T;
}

/**
 * Says `text` in the page's live status region (screen readers announce it) and shows it.
 * `kind` colours it; errors are announced assertively.
 */
export function announce(region: HTMLElement, text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  region.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  region.dataset['kind'] = kind;
  region.textContent = text;
}
