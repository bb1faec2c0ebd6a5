/** Small builders for Strapi's `blocks` rich-text JSON, so content reads like prose. */

export interface TextNode {
  type: 'text';
  text: string;
  bold?: boolean;
  italic?: boolean;
}
export interface LinkNode {
  type: 'link';
  url: string;
  children: TextNode[];
}
export type Block =
  | { type: 'paragraph'; children: Array<TextNode | LinkNode> }
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: TextNode[] }
  | { type: 'list'; format: 'unordered' | 'ordered'; children: Array<{ type: 'list-item'; children: TextNode[] }> };

export const paragraph = (...parts: Array<string | TextNode | LinkNode>): Block => ({
  type: 'paragraph',
  children: parts.map((part) => (typeof part === 'string' ? { type: 'text', text: part } : part)),
});

export const heading = (text: string, level: 2 | 3 = 2): Block => ({
  type: 'heading',
  level,
  children: [{ type: 'text', text }],
});

export const bulletList = (...items: string[]): Block => ({
  type: 'list',
  format: 'unordered',
  children: items.map((text) => ({ type: 'list-item', children: [{ type: 'text', text }] })),
});

export const link = (url: string, text: string): LinkNode => ({ type: 'link', url, children: [{ type: 'text', text }] });
