import DOMPurify from 'dompurify';
import { Marked } from 'marked';

// CommonMark without GitHub extensions, as the server's HTML export parses it, so a preview
// shows what an export will contain.
const commonMark = new Marked({ gfm: false });

/** The elements the server's HTML export keeps: text structure and links, nothing else. */
const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'em',
  'del',
  'blockquote',
  'ul',
  'ol',
  'li',
  'code',
  'pre',
  'a',
  'span',
];

/** Links may go to web pages and mail addresses only; any other `href` is dropped. */
const ALLOWED_LINK = /^(?:https?|mailto):/i;

/**
 * Markdown rendered to HTML and cleaned against an allow-list: scripts, event handlers,
 * images, styles and `javascript:` links never survive, whatever raw HTML the Markdown holds.
 * Links open in a new tab without giving the page they open a handle on this one.
 */
export function markdownToSafeFragment(markdown: string): DocumentFragment {
  const html = commonMark.parse(markdown, { async: false });
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href'],
    ALLOWED_URI_REGEXP: ALLOWED_LINK,
    RETURN_DOM_FRAGMENT: true,
  });
  for (const link of fragment.querySelectorAll('a[href]')) {
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
  }
  return fragment;
}
