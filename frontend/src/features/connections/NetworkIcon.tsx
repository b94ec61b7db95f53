import type { SVGProps } from 'react';
import {
  BlueskyLogoIcon,
  LinkedInLogoIcon,
  MastodonLogoIcon,
  XLogoIcon,
} from '@/components/ui/icons';
import type { Network } from '@/lib/api/types';

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
