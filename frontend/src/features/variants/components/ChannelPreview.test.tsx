import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metadata } from '@/test/metadata';
import { connection } from '@/test/connections';
import { ChannelPreview, initials } from './ChannelPreview';

const newsletter = [
  '# Spring launch notes',
  '',
  'Our team shipped **three** features this month.',
  '',
  '## Key points',
  '',
  '- Faster exports for every plan',
  '- A calendar you can share',
  '',
  'Reply and tell us what you think.',
].join('\n');

const blog = [
  '# How we cut export time in half',
  '',
  'Exports used to take a minute.',
  '',
  '## What was slow',
  '',
  'Every export parsed the document twice.',
  '',
  '## What we changed',
  '',
  'We parse it once and keep the tree.',
].join('\n');

describe('newsletter preview', () => {
  it('renders the email: subject and preheader above formatted headings and lists', () => {
    render(
      <ChannelPreview
        channel="newsletter"
        text={newsletter}
        meta={metadata({ preheader: 'Three features, one calendar, faster exports.' })}
      />,
    );
    const email = screen.getByRole('figure', { name: 'Email preview' });
    expect(within(email).getByText('Spring launch notes', { selector: 'dd span' })).toBeVisible();
    expect(email).toHaveTextContent('Three features, one calendar, faster exports.');
    expect(within(email).getByRole('heading', { level: 2, name: 'Key points' })).toBeVisible();
    const items = within(email).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'Faster exports for every plan',
      'A calendar you can share',
    ]);
    expect(within(email).getByText('three').tagName).toBe('STRONG');
    expect(email.textContent).not.toContain('## ');
    expect(email.textContent).not.toContain('**');
    expect(email.textContent).not.toMatch(/(^|\n)\s*- /);
  });
});

describe('blog preview', () => {
  it('renders the article as a page with its title and section headings', () => {
    render(
      <ChannelPreview
        channel="blog"
        text={blog}
        meta={metadata({ slug: 'cut-export-time', meta_description: 'How exports got faster.' })}
      />,
    );
    const page = screen.getByRole('figure', { name: 'Blog page preview' });
    expect(
      within(page).getByRole('heading', { level: 1, name: 'How we cut export time in half' }),
    ).toBeVisible();
    expect(
      within(page)
        .getAllByRole('heading', { level: 2 })
        .map((h) => h.textContent),
    ).toEqual(['What was slow', 'What we changed']);
    expect(within(page).getByText('Every export parsed the document twice.').tagName).toBe('P');
    expect(page).toHaveTextContent('yourblog.com/blog/cut-export-time');
    expect(page.textContent).not.toContain('#');
  });

  it('takes the title from the metadata when the article does not open with one', () => {
    render(
      <ChannelPreview
        channel="blog"
        text={'Exports used to take a minute.'}
        meta={metadata({ title: 'Faster exports' })}
      />,
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Faster exports' })).toBeVisible();
  });
});

describe('Markdown previews are sanitised', () => {
  it.each(['newsletter', 'blog'] as const)(
    'drops scripts and event handlers from raw HTML in a %s',
    (channel) => {
      const text = [
        '## Safe heading',
        '',
        'Before <script>window.hacked = true</script> after.',
        '',
        '<img src="x" onerror="window.hacked = true"> <b onclick="window.hacked = true">Bold</b>',
      ].join('\n');
      const { container } = render(
        <ChannelPreview channel={channel} text={text} meta={metadata({})} />,
      );
      expect(screen.getByRole('heading', { level: 2, name: 'Safe heading' })).toBeVisible();
      expect(container.querySelector('script')).toBeNull();
      expect(container.querySelector('img')).toBeNull();
      expect(container.querySelector('[onerror], [onclick]')).toBeNull();
      expect(container).toHaveTextContent('Before after.');
      expect(container.textContent).not.toContain('<script>');
      expect(container.textContent).not.toContain('window.hacked');
    },
  );

  it('neutralises a javascript: link and opens web links safely in a new tab', () => {
    const text = [
      'Read [the report](https://example.com/report) first.',
      '',
      'Then [click here](javascript:alert(1)) and <a href="JaVaScRiPt:alert(1)">here</a>.',
    ].join('\n');
    const { container } = render(
      <ChannelPreview channel="newsletter" text={text} meta={metadata({})} />,
    );
    const report = screen.getByRole('link', { name: 'the report' });
    expect(report).toHaveAttribute('href', 'https://example.com/report');
    expect(report).toHaveAttribute('target', '_blank');
    expect(report).toHaveAttribute('rel', 'noopener noreferrer');

    expect(screen.getByText('click here')).toBeVisible();
    expect(screen.queryByRole('link', { name: 'click here' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'here' })).toBeNull();
    expect(screen.getAllByRole('link')).toHaveLength(1);
    expect(container.innerHTML.toLowerCase()).not.toContain('javascript:');
  });
});

describe('grounding in a Markdown preview', () => {
  it('reports the source of a grounded sentence on hover and focus', async () => {
    const user = userEvent.setup();
    const onGrounding = vi.fn();
    render(
      <ChannelPreview
        channel="blog"
        text={blog}
        meta={metadata({
          grounding: [
            { text: 'Every export parsed the document twice.', spans: [[10, 52]] },
            { text: 'What we changed', spans: [[60, 75]] },
          ],
        })}
        onGrounding={onGrounding}
      />,
    );
    const sentence = screen.getByText('Every export parsed the document twice.');
    expect(sentence).toHaveAttribute('data-grounded', 'true');

    await user.hover(sentence);
    expect(onGrounding).toHaveBeenLastCalledWith([[10, 52]]);
    await user.unhover(sentence);
    expect(onGrounding).toHaveBeenLastCalledWith(null);

    await user.tab();
    expect(sentence).toHaveFocus();
    expect(onGrounding).toHaveBeenLastCalledWith([[10, 52]]);
    await user.tab();
    expect(screen.getByText('What we changed')).toHaveFocus();
    expect(onGrounding).toHaveBeenLastCalledWith([[60, 75]]);
    await user.tab();
    expect(onGrounding).toHaveBeenLastCalledWith(null);
  });
});

describe('Bluesky and Mastodon previews', () => {
  const thread = 'The bakery moved to a four-day week. 1/2\n\nSales rose four percent. 2/2';

  it.each([
    ['bluesky', 'Bluesky thread preview', '@yourbrand.bsky.social', '/300'],
    ['mastodon', 'Mastodon thread preview', '@yourbrand@mastodon.social', '/500'],
  ] as const)(
    'shows a %s thread as posts, each with its own counter',
    (channel, name, handle, max) => {
      render(<ChannelPreview channel={channel} text={thread} meta={metadata({})} />);
      const preview = screen.getByRole('list', { name });
      const posts = within(preview).getAllByTestId(`${channel}-part`);
      expect(posts).toHaveLength(2);
      expect(posts[0]).toHaveTextContent(handle);
      expect(posts[0]).toHaveTextContent('The bakery moved to a four-day week.');
      expect(posts[1]).toHaveTextContent(`${'Sales rose four percent. 2/2'.length}${max}`);
    },
  );

  it('counts a Mastodon post against the limit of its instance', () => {
    const link = `https://example.com/${'news/'.repeat(30)}`;
    render(
      <ChannelPreview
        channel="mastodon"
        text={`Read the news: ${link}`}
        meta={metadata({ max_chars: 1000 })}
      />,
    );
    const [post] = screen.getAllByTestId('mastodon-part');
    expect(post).toHaveTextContent(`${'Read the news: '.length + 23}/1000`);
  });
});

describe('previews under the connected account', () => {
  const post = 'Rye & Crumb moved to a four-day week. 1/2\n\nSales went up. 2/2';
  const bakery = connection({
    id: '0193a000-0000-7000-8000-0000000c0011',
    network: 'mastodon',
    handle: '@ryeandcrumb@mastodon.social',
    display_name: 'Rye & Crumb',
    avatar_url: 'https://files.mastodon.social/accounts/avatars/ryeandcrumb.png',
  });
  const shop = connection({
    id: '0193a000-0000-7000-8000-0000000c0012',
    network: 'mastodon',
    handle: '@shop@bakers.example',
    display_name: 'Crumb Shop',
    avatar_url: null,
  });

  afterEach(() => localStorage.clear());

  it("shows each post under the account's name, handle and picture, sent without a referrer", () => {
    const { container } = render(
      <ChannelPreview channel="mastodon" text={post} meta={metadata({})} accounts={[bakery]} />,
    );
    const posts = screen.getAllByTestId('mastodon-part');
    expect(posts[0]).toHaveTextContent('Rye & Crumb @ryeandcrumb@mastodon.social');
    expect(posts[1]).toHaveTextContent('Rye & Crumb @ryeandcrumb@mastodon.social');
    expect(container.textContent).not.toContain('@yourbrand');
    const pictures = container.querySelectorAll('img');
    expect(pictures).toHaveLength(2);
    expect(pictures[0]).toHaveAttribute('src', bakery.avatar_url);
    expect(pictures[0]).toHaveAttribute('referrerpolicy', 'no-referrer');
    expect(pictures[0]).toHaveAttribute('alt', '');
    expect(screen.queryByLabelText('Preview as')).toBeNull();
  });

  it("falls back to the account's initials without a picture or when it does not load", () => {
    const { container, rerender } = render(
      <ChannelPreview channel="linkedin" text="Hello" meta={metadata({})} accounts={[bakery]} />,
    );
    expect(screen.getByText('Rye & Crumb')).toBeVisible();
    const picture = container.querySelector('img');
    expect(picture).not.toBeNull();
    fireEvent.error(picture!);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('RC')).toBeVisible();
    rerender(
      <ChannelPreview channel="mastodon" text="Hello" meta={metadata({})} accounts={[shop]} />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('CS')).toBeVisible();
  });

  it('offers a picker between several accounts and remembers the one picked', async () => {
    const user = userEvent.setup();
    const accounts = [bakery, shop];
    const { unmount } = render(
      <ChannelPreview channel="mastodon" text={post} meta={metadata({})} accounts={accounts} />,
    );
    const picker = screen.getByLabelText('Preview as');
    expect(picker).toHaveValue(bakery.id);
    expect(screen.getAllByTestId('mastodon-part')[0]).toHaveTextContent(bakery.handle);
    await user.selectOptions(picker, shop.id);
    expect(screen.getAllByTestId('mastodon-part')[0]).toHaveTextContent(
      'Crumb Shop @shop@bakers.example',
    );
    unmount();

    render(
      <ChannelPreview channel="mastodon" text={post} meta={metadata({})} accounts={accounts} />,
    );
    expect(screen.getByLabelText('Preview as')).toHaveValue(shop.id);
    expect(screen.getAllByTestId('mastodon-part')[0]).toHaveTextContent(shop.handle);
  });

  it('shows the first account again once the picked one is disconnected', () => {
    localStorage.setItem('kyros.preview-account.mastodon', JSON.stringify('gone'));
    render(<ChannelPreview channel="mastodon" text={post} meta={metadata({})} accounts={[shop]} />);
    expect(screen.getAllByTestId('mastodon-part')[0]).toHaveTextContent(shop.handle);
  });
});

describe('initials', () => {
  it.each([
    ['Rye & Crumb', 'RC'],
    ['kyros', 'K'],
    ['@bakery.bsky.social', 'B'],
    ['Émile Zola Dupont', 'ÉD'],
    ['', '?'],
  ])('%s → %s', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});
