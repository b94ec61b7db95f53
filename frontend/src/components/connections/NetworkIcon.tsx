import type { SVGProps } from 'react';
import { Icon } from '@/components/ui/icons';
import type { Network } from '@/lib/api/types';

// Simple marks of the networks, in the line style of the console's icons and the text colour.
// They live here, not in components/ui, so only the pages showing accounts download them.
const XLogoIcon = (p: SVGProps<SVGSVGElement>) => (
  <Icon {...p}>
    <path d="M4.5 4h4L19.5 20h-4z" />
    <path d="M19 4l-6.2 7M5 20l6.2-7" />
  </Icon>
);
const LinkedInLogoIcon = (p: SVGProps<SVGSVGElement>) => (
  <Icon {...p}>
    <rect x="3" y="3" width="18" height="18" rx="3.5" />
    <path d="M8 10.5V16.5M8 7.5v.01M12 16.5v-6M12 13.2a2.6 2.6 0 0 1 5.2 0v3.3" />
  </Icon>
);
const MastodonLogoIcon = (p: SVGProps<SVGSVGElement>) => (
  <Icon {...p}>
    <path d="M16.5 19.6c-4.6.8-7.4-.3-8-2.8 1.1.3 2.3.4 3.5.4 4.8 0 7.5-1.4 7.5-4.7V8.7c0-3-2.6-4.7-7.5-4.7S4.5 5.7 4.5 8.7v3.5c0 4.3 1.3 7.6 5.5 8.3" />
    <path d="M8.3 13.5V9.9a1.85 1.85 0 0 1 3.7 0v2.3M12 12.2V9.9a1.85 1.85 0 0 1 3.7 0v3.6" />
  </Icon>
);
const BlueskyLogoIcon = (p: SVGProps<SVGSVGElement>) => (
  <Icon {...p}>
    <path d="M12 11.2C10.3 7.8 7.1 4.5 4.6 4.5 3.2 4.5 2.9 5.6 3.2 8c.4 2.7 2.2 3.8 5.2 3.4-3.3.7-3.8 3-1.9 4.7 2.4 2.1 4 .3 5.5-2.6 1.5 2.9 3.1 4.7 5.5 2.6 1.9-1.7 1.4-4-1.9-4.7 3 .4 4.8-.7 5.2-3.4.3-2.4 0-3.5-1.4-3.5-2.5 0-5.7 3.3-7.4 6.7z" />
  </Icon>
);

const MARKS: Record<Network, (p: SVGProps<SVGSVGElement>) => React.JSX.Element> = {
  x: XLogoIcon,
  linkedin: LinkedInLogoIcon,
  mastodon: MastodonLogoIcon,
  bluesky: BlueskyLogoIcon,
};

/** The network's mark, decorative: the network's name is always written beside it. */
export function NetworkIcon({ network, ...props }: { network: Network } & SVGProps<SVGSVGElement>) {
  const Mark = MARKS[network];
  return <Mark {...props} />;
}
